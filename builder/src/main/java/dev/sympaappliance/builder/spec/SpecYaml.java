package dev.sympaappliance.builder.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns the text of a spec file into SnakeYAML's node tree, whose nodes carry their own positions.
 * SnakeYAML refuses duplicate keys (its {@code allowDuplicateKeys}), deep nesting and oversized
 * input; a guard on its event stream refuses what a spec file never needs (anchors and aliases,
 * tags, merge keys, a second document) and bounds the number of nodes before they are built.
 */
final class SpecYaml {
  private SpecYaml() {}

  /** Scalars, sequences and mappings (keys included): bounds the memory a file takes. */
  static final int MAX_NODES = 1_000_000;

  /**
   * The deepest a valid spec file goes is 4 (root, lists, a list, its subscribers, a subscriber).
   */
  private static final int MAX_DEPTH = 6;

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** Where the file is and what the user called it: every message starts with its place. */
  record Source(String name) {
    String place(Mark at) {
      return name + ":" + (at.getLine() + 1) + ":" + (at.getColumn() + 1);
    }

    String field(Node node, String path) {
      return place(node.getStartMark()) + ": " + path;
    }
  }

  /** The one document of {@code yaml}, checked as above. */
  static Node document(Source source, String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(SpecFile.MAX_FILE_BYTES + 1);
    options.setMaxAliasesForCollections(0);
    options.setNestingDepthLimit(MAX_DEPTH + 4);
    options.setAllowDuplicateKeys(false);
    Node root = null;
    try {
      Guard guard = new Guard(source, new ParserImpl(new StreamReader(yaml), options));
      Composer composer = new Composer(guard, new Resolver(), options);
      if (!composer.checkNode()) {
        throw new InvalidSpecException(
            source.name() + ":1:1",
            "the file is empty; expected a mapping of spec keys (domain: …)");
      }
      root = composer.getNode();
      if (composer.checkNode()) {
        throw new InvalidSpecException(
            source.place(guard.peekEvent().getStartMark()),
            "a second YAML document; a spec file holds one");
      }
      new DuplicateKeys(options).refuseIn(root);
      return root;
    } catch (DuplicateKeyException e) {
      InvalidSpecException named = duplicate(source, root, "", e.getProblemMark());
      throw named != null
          ? named
          : new InvalidSpecException(source.place(e.getProblemMark()), "duplicate key");
    } catch (MarkedYAMLException e) {
      Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String what =
          e.getContext() == null ? e.getProblem() : e.getContext() + "; " + e.getProblem();
      throw new InvalidSpecException(
          at == null ? source.name() + ":1:1" : source.place(at),
          "not valid YAML: " + problem(what));
    } catch (YAMLException e) {
      throw new InvalidSpecException(
          source.name() + ":1:1", "not valid YAML: " + problem(e.getMessage()));
    }
  }

  /**
   * The key path of the key at {@code at} below {@code node} (at {@code path}), with the line of
   * its first occurrence, as the other errors of a spec file name their place; null if not there.
   */
  private static InvalidSpecException duplicate(Source source, Node node, String path, Mark at) {
    Map<String, Node> children = new LinkedHashMap<>();
    if (node instanceof SequenceNode sequence) {
      for (int i = 0; i < sequence.getValue().size(); i++) {
        children.put(path + "[" + i + "]", sequence.getValue().get(i));
      }
    } else if (node instanceof MappingNode mapping) {
      Map<String, Integer> firstLines = new HashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
        String keyPath = path.isEmpty() ? segment(key) : path + "." + segment(key);
        int line = tuple.getKeyNode().getStartMark().getLine() + 1;
        if (tuple.getKeyNode().getStartMark().getIndex() == at.getIndex()) {
          return new InvalidSpecException(
              source.place(at) + ": " + keyPath,
              key,
              "duplicate key; first at line " + firstLines.getOrDefault(key, line));
        }
        firstLines.putIfAbsent(key, line);
        children.put(keyPath, tuple.getValueNode());
      }
    }
    for (Map.Entry<String, Node> child : children.entrySet()) {
      InvalidSpecException found = duplicate(source, child.getValue(), child.getKey(), at);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** A key in a key path: as it is when plain, else quoted (it may hold anything). */
  static String segment(String key) {
    return PLAIN_KEY.matcher(key).matches() ? key : Text.quoteForMessage(key);
  }

  /** SnakeYAML's words on one line, quoted where they hold something unprintable. */
  private static String problem(String message) {
    List<String> parts = new ArrayList<>();
    for (String line : String.valueOf(message).split("\\R")) {
      if (!line.isBlank()) {
        parts.add(line.strip());
      }
    }
    return Text.quoteForMessage(String.join("; ", parts)).replaceAll("^'|'$", "");
  }

  /** Builds what SnakeYAML would load only to have it refuse a key given twice in a mapping. */
  private static final class DuplicateKeys extends SafeConstructor {
    DuplicateKeys(LoaderOptions options) {
      super(options);
      setAllowDuplicateKeys(false); // as Yaml's constructor does: the options alone do not
    }

    void refuseIn(Node root) {
      constructDocument(root);
    }
  }

  /** SnakeYAML's parser, with each event checked as the composer takes it. */
  private static final class Guard implements Parser {
    private final Source source;
    private final Parser parser;
    private int nodes;
    private int depth;

    Guard(Source source, Parser parser) {
      this.source = source;
      this.parser = parser;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      return parser.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return parser.peekEvent();
    }

    @Override
    public Event getEvent() {
      Event event = parser.getEvent();
      if (event instanceof AliasEvent
          || event instanceof NodeEvent node && node.getAnchor() != null
          || event instanceof ScalarEvent scalar && explicit(scalar.getTag())
          || event instanceof CollectionStartEvent collection && explicit(collection.getTag())) {
        throw refused(event, "YAML aliases (*name) and tags (!tag) are not allowed in a spec file");
      }
      if (event instanceof ScalarEvent scalar
          && scalar.isPlain()
          && scalar.getValue().equals("<<")) {
        throw refused(event, "YAML merge keys (<<) are not allowed in a spec file");
      }
      if (event instanceof CollectionStartEvent && ++depth > MAX_DEPTH + 1) {
        throw new InvalidSpecException(
            source.place(event.getStartMark()), "nested deeper than a spec file goes");
      }
      if (event instanceof CollectionEndEvent) {
        depth--;
      }
      if ((event instanceof ScalarEvent || event instanceof CollectionStartEvent)
          && ++nodes > MAX_NODES) {
        throw new InvalidSpecException(
            source.place(event.getStartMark()),
            "too many values: a spec file may hold at most " + MAX_NODES);
      }
      return event;
    }

    private static boolean explicit(String tag) {
      return tag != null && !tag.equals("!");
    }

    private InvalidSpecException refused(Event event, String rule) {
      return new InvalidSpecException(
          source.place(event.getStartMark()), rule + "; write each value out");
    }
  }
}
