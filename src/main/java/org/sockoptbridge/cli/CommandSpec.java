package org.sockoptbridge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * One command's options and help text. The help is rendered here rather than by the parser's
 * own formatter: the layout users know (Usage line, description, options, exit codes) stays
 * the same whatever parser tokenizes the arguments, and nothing beyond the tokenizer is loaded
 * on the path that runs a command.
 */
record CommandSpec(String name, List<String> description, List<Opt> options, List<String> exitCodes, String operand) {
    static final String PROGRAM = "sockopt-bridge";
    private static final int WIDTH = 80;

    /** Every command takes these, as picocli's standard help options did. */
    static final Opt HELP = new Opt("help", 'h', null, false, "Show this help message and exit.");
    static final Opt VERSION = new Opt("version", 'V', null, false, "Print version information and exit.");

    /**
     * An option: {@code label} is null for a flag, else the name of its value in the help;
     * {@code repeatable} options collect every occurrence, the others are usage errors when
     * given twice (a second --port would otherwise silently win or lose).
     */
    record Opt(String name, char shortName, String label, boolean repeatable, String description) {
        Opt(String name, String label, boolean repeatable, String description) {
            this(name, '\0', label, repeatable, description);
        }

        String longForm() {
            return "--" + name;
        }

        /** A label in brackets ({@code [INTERVAL]}): the option may be given without a value. */
        boolean optionalValue() {
            return label != null && label.startsWith("[");
        }
    }

    /** A command that takes options only. */
    CommandSpec(String name, List<String> description, List<Opt> options, List<String> exitCodes) {
        this(name, description, options, exitCodes, null);
    }

    /**
     * {@code operand}: the one optional argument besides options, as the usage line names it
     * ({@code HOST:PORT}), or null for none.
     */
    CommandSpec {
        List<Opt> all = new ArrayList<>(options);
        all.add(HELP);
        all.add(VERSION);
        options = List.copyOf(all);
    }

    /** The parser's view: names and whether each takes a value. */
    Options parserOptions() {
        Options parser = new Options();
        for (Opt opt : options) {
            Option.Builder builder = Option.builder(opt.shortName() == '\0' ? null : String.valueOf(opt.shortName()))
                    .longOpt(opt.name());
            if (opt.label() != null) {
                builder.hasArg().argName(opt.label()).optionalArg(opt.optionalValue());
            }
            parser.addOption(builder.get());
        }
        return parser;
    }

    Opt option(String name) {
        for (Opt opt : options) {
            if (opt.name().equals(name)) {
                return opt;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** {@code Usage: sockopt-bridge probe [-hV] [--json] [--require=OPTION[,OPTION...]]...}, wrapped. */
    String synopsis() {
        List<String> parts = new ArrayList<>();
        parts.add("[-hV]");
        for (Opt opt : options) {
            if (opt.shortName() != '\0') {
                continue;
            }
            String part = "[" + opt.longForm() + (opt.label() == null ? "" : "=" + opt.label()) + "]";
            parts.add(opt.repeatable() ? part + "..." : part);
        }
        if (operand != null) {
            parts.add("[" + operand + "]");
        }
        return wrapWords("Usage: " + PROGRAM + " " + name + " ", parts);
    }

    void printHelp(PrintWriter out) {
        out.println(synopsis());
        for (String paragraph : description) {
            out.println(wrap(paragraph, "", ""));
        }
        printOptions(options, out);
        if (!exitCodes.isEmpty()) {
            out.println();
            out.println("Exit codes:");
            for (String exitCode : exitCodes) {
                int colon = exitCode.indexOf(':');
                out.println(wrap(exitCode.substring(colon + 1), String.format("  %-4s", exitCode.substring(0, colon)),
                        "        "));
            }
        }
        out.flush();
    }

    /** Options one per line; a long name and value label that do not fit push the text to the next line. */
    static void printOptions(List<Opt> options, PrintWriter out) {
        int column = 0;
        for (Opt opt : options) {
            column = Math.max(column, Math.min(head(opt).length() + 3, 29));
        }
        String indent = " ".repeat(column);
        for (Opt opt : options) {
            String head = head(opt);
            if (head.length() + 3 > column) {
                out.println(head);
                out.println(wrap(opt.description(), indent, indent));
            } else {
                out.println(wrap(opt.description(), head + " ".repeat(column - head.length()), indent));
            }
        }
    }

    private static String head(Opt opt) {
        String shortForm = opt.shortName() == '\0' ? "     " : "  -" + opt.shortName() + ",";
        return shortForm + " " + opt.longForm() + (opt.label() == null ? "" : "=" + opt.label());
    }

    /** Words joined by spaces, wrapped under the first word after {@code first}. */
    static String wrapWords(String first, List<String> words) {
        StringBuilder text = new StringBuilder(first);
        String indent = " ".repeat(first.length());
        int lineStart = 0;
        boolean firstWord = true;
        for (String word : words) {
            if (!firstWord && text.length() - lineStart + 1 + word.length() > WIDTH) {
                text.append(System.lineSeparator());
                lineStart = text.length();
                text.append(indent).append(word);
            } else {
                text.append(firstWord ? "" : " ").append(word);
            }
            firstWord = false;
        }
        return text.toString();
    }

    /** {@code text} filled to the width: the first line after {@code first}, the others after {@code rest}. */
    static String wrap(String text, String first, String rest) {
        StringBuilder out = new StringBuilder(first);
        int lineStart = 0;
        boolean lineEmpty = true;
        for (String word : text.split(" ")) {
            if (!lineEmpty && out.length() - lineStart + 1 + word.length() > WIDTH) {
                out.append(System.lineSeparator());
                lineStart = out.length();
                out.append(rest);
                lineEmpty = true;
            }
            out.append(lineEmpty ? "" : " ").append(word);
            lineEmpty = false;
        }
        return out.toString();
    }
}
