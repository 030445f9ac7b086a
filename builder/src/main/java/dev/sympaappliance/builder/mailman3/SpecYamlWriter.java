package dev.sympaappliance.builder.mailman3;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Writes the imported lists as an appliance spec file. The YAML is SnakeYAML's emitter's, from a
 * node tree: every value is a double-quoted string (so that no value is read as a number, a
 * boolean, a comment or a key, whatever it holds) except a description, a literal block where
 * SnakeYAML finds that safe (it falls back to double quotes where it is not).
 */
final class SpecYamlWriter {
  private SpecYamlWriter() {}

  /**
   * The spec: {@code header} (comment lines, each starting with #), then {@code domain}, the {@code
   * listmaster} (null: left out, the builder's default) and the lists.
   */
  static String yaml(String header, String domain, String listmaster, List<ImportedList> lists) {
    List<NodeTuple> top = new ArrayList<>();
    top.add(entry("domain", text(domain)));
    if (listmaster != null) {
      top.add(entry("listmaster", text(listmaster)));
    }
    List<Node> listNodes = new ArrayList<>();
    for (ImportedList list : lists) {
      listNodes.add(list(list));
    }
    top.add(entry("lists", new SequenceNode(Tag.SEQ, listNodes, FlowStyle.BLOCK)));
    DumperOptions options = new DumperOptions();
    options.setIndent(2);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    options.setWidth(Integer.MAX_VALUE);
    options.setAllowUnicode(true);
    options.setLineBreak(DumperOptions.LineBreak.UNIX);
    StringWriter body = new StringWriter();
    new Yaml(options).serialize(new MappingNode(Tag.MAP, top, FlowStyle.BLOCK), body);
    return header + body;
  }

  private static Node list(ImportedList list) {
    List<NodeTuple> keys = new ArrayList<>();
    keys.add(entry("name", text(list.name())));
    keys.add(entry("subject", text(list.subject())));
    if (!list.description().isEmpty()) {
      keys.add(
          entry(
              "description",
              new ScalarNode(Tag.STR, list.description(), null, null, ScalarStyle.LITERAL)));
    }
    keys.add(entry("type", text(list.rule().type)));
    if (!list.owners().isEmpty()) {
      keys.add(entry("owners", texts(list.owners())));
    }
    if (!list.editors().isEmpty()) {
      keys.add(entry("editors", texts(list.editors())));
    }
    if (list.membersFile() != null) {
      keys.add(entry("members_file", text(list.membersFile())));
    }
    return new MappingNode(Tag.MAP, keys, FlowStyle.BLOCK);
  }

  private static NodeTuple entry(String key, Node value) {
    return new NodeTuple(new ScalarNode(Tag.STR, key, null, null, ScalarStyle.PLAIN), value);
  }

  private static Node text(String value) {
    return new ScalarNode(Tag.STR, value, null, null, ScalarStyle.DOUBLE_QUOTED);
  }

  private static Node texts(List<String> values) {
    List<Node> nodes = new ArrayList<>();
    for (String value : values) {
      nodes.add(text(value));
    }
    return new SequenceNode(Tag.SEQ, nodes, FlowStyle.FLOW);
  }
}
