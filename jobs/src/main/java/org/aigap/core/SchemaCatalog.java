package org.aigap.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every table declared under {@code schemas/<layer>/<name>.json}, loaded once. Jobs look tables up
 * here instead of declaring columns in code. The schemas come from a folder given on the command
 * line, or else from the copy inside the application jar.
 */
public final class SchemaCatalog {
  public static final String RAW = "raw";
  public static final String BRONZE = "bronze";
  public static final String SILVER = "silver";
  public static final String GOLD = "gold";
  public static final String AUDIT = "audit";

  private final Map<String, TableSchema> byId;

  private SchemaCatalog(Map<String, TableSchema> byId) {
    this.byId = Collections.unmodifiableMap(byId);
  }

  /** Loads the schemas in {@code folder}, or from the classpath when folder is null. */
  public static SchemaCatalog load(String folder) {
    if (folder != null) {
      return fromFolder(Path.of(folder));
    }
    URL url = SchemaCatalog.class.getClassLoader().getResource("schemas");
    if (url == null) {
      throw Errors.badSchema("schemas/", "not on the classpath; pass --schemas PATH");
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
          return fromFolder(jar.getPath("/schemas"));
        }
      }
      return fromFolder(Path.of(uri));
    } catch (IOException | URISyntaxException e) {
      throw Errors.cannotRead("the schemas in", String.valueOf(url), e);
    }
  }

  private static SchemaCatalog fromFolder(Path root) {
    Map<String, TableSchema> found = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        String layer = root.relativize(file).getParent().toString();
        try (InputStream in = Files.newInputStream(file)) {
          TableSchema schema = Json.MAPPER.readValue(in, TableSchema.class).withLayer(layer);
          found.put(layer + "/" + schema.name(), schema);
        } catch (IOException | RuntimeException e) {
          throw Errors.badSchema(file.toString(), e.getMessage());
        }
      }
    } catch (IOException e) {
      throw Errors.ioFailed("list the schemas in", root.toString(), e);
    }
    if (found.isEmpty()) {
      throw Errors.badSchema(root.toString(), "no schema files found");
    }
    return new SchemaCatalog(found);
  }

  public TableSchema get(String layer, String name) {
    TableSchema schema = byId.get(layer + "/" + name);
    if (schema == null) {
      throw Errors.unknownSchema(layer + "/" + name, byId.keySet());
    }
    return schema;
  }

  public List<TableSchema> layer(String layer) {
    return byId.values().stream().filter(s -> s.layer().equals(layer)).toList();
  }

  public List<TableSchema> all() {
    return List.copyOf(byId.values());
  }
}
