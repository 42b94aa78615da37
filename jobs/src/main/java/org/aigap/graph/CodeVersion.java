package org.aigap.graph;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.aigap.core.Errors;
import org.apache.spark.package$;

/**
 * The version of the code every result depends on: a SHA-256 over the pipeline's own classes and
 * shared SQL functions (from its jar or its classes folder), and the Spark and Delta versions. A
 * gold dataset's own SQL file is fingerprinted apart, so editing one output re-runs that output
 * only; any change to Java code re-runs everything, since a transform may call any of it.
 */
public final class CodeVersion {
  private static String hash;

  private CodeVersion() {}

  public static synchronized String hash() {
    if (hash == null) {
      hash = compute();
    }
    return hash;
  }

  private static String compute() {
    TreeMap<String, byte[]> files = new TreeMap<>();
    try {
      Path location =
          Path.of(CodeVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        try (Stream<Path> all = Files.walk(location)) {
          for (Path p : all.filter(Files::isRegularFile).toList()) {
            String name = location.relativize(p).toString().replace('\\', '/');
            if (counts(name)) {
              files.put(name, Files.readAllBytes(p));
            }
          }
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          for (JarEntry e : jar.stream().toList()) {
            if (!e.isDirectory() && counts(e.getName())) {
              try (InputStream in = jar.getInputStream(e)) {
                files.put(e.getName(), in.readAllBytes());
              }
            }
          }
        }
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(
          ("spark "
                  + package$.MODULE$.SPARK_VERSION()
                  + " delta "
                  + io.delta.package$.MODULE$.VERSION()
                  + "\n")
              .getBytes());
      files.forEach(
          (name, bytes) -> {
            sha.update(name.getBytes());
            sha.update(bytes);
          });
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (IOException | URISyntaxException | NoSuchAlgorithmException e) {
      throw Errors.cannotRead("the pipeline's code", "to fingerprint it", e);
    }
  }

  private static boolean counts(String name) {
    return (name.startsWith("org/aigap/") && name.endsWith(".class"))
        || List.of(SqlFiles.FUNCTIONS).contains(name);
  }
}
