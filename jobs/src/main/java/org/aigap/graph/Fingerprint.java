package org.aigap.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.aigap.core.Json;

/**
 * What a dataset's result was computed from, part by part: the code ({@code code}), its declared
 * schema ({@code schema}), its SQL ({@code sql}), each raw file by SHA-256 ({@code file:NAME}) and
 * each input by its Delta version ({@code input:NAME}). Two runs with equal fingerprints compute
 * the same result, so the second is skipped; the parts say why one is not.
 */
public record Fingerprint(String hash, Map<String, String> parts) {
  public Fingerprint {
    parts = new TreeMap<>(parts);
  }

  public static Fingerprint of(Map<String, String> parts) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(parts).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    return new Fingerprint(sha256(text.toString()).substring(0, 16), parts);
  }

  /**
   * What changed since {@code earlier}, in words, e.g. "file facts.csv changed; input
   * silver.fx_rates 3 -> 4".
   */
  public String changesSince(Fingerprint earlier) {
    List<String> out = new ArrayList<>();
    Set<String> keys = new TreeSet<>(parts.keySet());
    keys.addAll(earlier.parts().keySet());
    for (String k : keys) {
      String now = parts.get(k);
      String then = earlier.parts().get(k);
      if (now == null || !now.equals(then)) {
        String what = k.replace(':', ' ');
        if (k.startsWith("input:") && now != null && then != null) {
          String v = version(now);
          out.add(
              v.equals(version(then))
                  ? what + " was rebuilt"
                  : what + " changed (version " + version(then) + " -> " + v + ")");
        } else if (then == null) {
          out.add(what + " is new");
        } else if (now == null) {
          out.add(what + " is no longer read");
        } else {
          out.add(what + " changed");
        }
      }
    }
    return String.join("; ", out);
  }

  /** The Delta version in an input's part ("3/ab12…"). */
  private static String version(String inputPart) {
    return inputPart.substring(
        0, inputPart.indexOf('/') < 0 ? inputPart.length() : inputPart.indexOf('/'));
  }

  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The fingerprint as stored with a result (a Delta commit's user metadata, an output's manifest),
   * with the run that computed it.
   */
  public record Stamp(String runId, String fingerprint, Map<String, String> parts) {
    public String toJson() {
      return Json.canonical(this);
    }

    /**
     * The stamp in a commit's user metadata; null when the commit was not made by the pipeline, and
     * a stamp without a fingerprint when a run failed after it.
     */
    public static Stamp parse(String userMetadata) {
      if (userMetadata == null || !userMetadata.startsWith("{")) {
        return null;
      }
      try {
        return Json.MAPPER.readValue(userMetadata, Stamp.class);
      } catch (JsonProcessingException e) {
        return null;
      }
    }

    public Fingerprint asFingerprint() {
      return new Fingerprint(fingerprint, parts);
    }
  }
}
