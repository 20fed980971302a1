package org.critcare.cds.recommendation;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A card text written in a PlanDefinition action, with placeholders filled from CQL
 * expression values of the service's library:
 * <ul>
 * <li>{@code {{Name}}} the value of the CQL define {@code Name};</li>
 * <li>{@code {{#Name}}…{{/Name}}} the enclosed text when the value is true or
 * non-empty;</li>
 * <li>{@code {{^Name}}…{{/Name}}} the enclosed text when the value is false, null or
 * empty.</li>
 * </ul>
 * Decimals print without trailing zeros, times as ISO-8601 minutes in the hospital's zone
 * ({@code cds.display.time-zone}) with its abbreviation. Templates are parsed once, when
 * the knowledge is loaded.
 */
public final class CardTemplate {

	private static final Pattern TAG = Pattern.compile("\\{\\{([#^/]?)\\s*([^{}]+?)\\s*}}");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

	private static final String MISSING = "n/a";

	private static final ZoneId UTC = ZoneId.of("UTC");

	private final String text;

	private final List<Part> parts;

	private CardTemplate(String text, List<Part> parts) {
		this.text = text;
		this.parts = parts;
	}

	/**
	 * Parses a template.
	 * @throws IllegalArgumentException when a section is not closed or closed out of
	 * order
	 */
	public static CardTemplate parse(String text) {
		List<Part> root = new ArrayList<>();
		List<List<Part>> stack = new ArrayList<>();
		List<Section> open = new ArrayList<>();
		List<Part> current = root;
		Matcher tag = TAG.matcher(text);
		int at = 0;
		while (tag.find()) {
			if (tag.start() > at) {
				current.add(new Literal(text.substring(at, tag.start())));
			}
			String kind = tag.group(1);
			String name = tag.group(2);
			switch (kind) {
				case "#", "^" -> {
					Section section = new Section(name, kind.equals("^"), new ArrayList<>());
					current.add(section);
					stack.add(current);
					open.add(section);
					current = section.body();
				}
				case "/" -> {
					if (open.isEmpty() || !open.get(open.size() - 1).name().equals(name)) {
						throw new IllegalArgumentException("Unexpected {{/" + name + "}} in template: " + text);
					}
					open.remove(open.size() - 1);
					current = stack.remove(stack.size() - 1);
				}
				default -> current.add(new Value(name));
			}
			at = tag.end();
		}
		if (!open.isEmpty()) {
			throw new IllegalArgumentException("Unclosed {{#" + open.get(0).name() + "}} in template: " + text);
		}
		if (at < text.length()) {
			current.add(new Literal(text.substring(at)));
		}
		return new CardTemplate(text, List.copyOf(root));
	}

	/** The names of the CQL expressions this template reads. */
	public Set<String> expressionNames() {
		Set<String> names = new LinkedHashSet<>();
		collect(parts, names);
		return names;
	}

	/**
	 * The text with its placeholders filled from the values, by expression name; times in
	 * UTC.
	 */
	public String render(Map<String, Object> values) {
		return render(values, UTC);
	}

	/**
	 * The text with its placeholders filled from the values, by expression name; times in
	 * the zone.
	 */
	public String render(Map<String, Object> values, ZoneId zone) {
		StringBuilder out = new StringBuilder(text.length() + 16);
		render(parts, values, zone, out);
		return out.toString();
	}

	private static void render(List<Part> parts, Map<String, Object> values, ZoneId zone, StringBuilder out) {
		for (Part part : parts) {
			if (part instanceof Literal literal) {
				out.append(literal.text());
			}
			else if (part instanceof Value value) {
				out.append(format(values.get(value.name()), zone));
			}
			else if (part instanceof Section section && truthy(values.get(section.name())) != section.inverted()) {
				render(section.body(), values, zone, out);
			}
		}
	}

	private static void collect(List<Part> parts, Set<String> names) {
		for (Part part : parts) {
			if (part instanceof Value value) {
				names.add(value.name());
			}
			else if (part instanceof Section section) {
				names.add(section.name());
				collect(section.body(), names);
			}
		}
	}

	private static boolean truthy(Object value) {
		if (value == null) {
			return false;
		}
		if (value instanceof Boolean b) {
			return b;
		}
		if (value instanceof String s) {
			return !s.isEmpty();
		}
		if (value instanceof Collection<?> c) {
			return !c.isEmpty();
		}
		return true;
	}

	static String format(Object value) {
		return format(value, UTC);
	}

	static String format(Object value, ZoneId zone) {
		if (value == null) {
			return MISSING;
		}
		if (value instanceof BigDecimal decimal) {
			return decimal.stripTrailingZeros().toPlainString();
		}
		if (value instanceof OffsetDateTime time) {
			return TIME.format(time.atZoneSameInstant(zone));
		}
		if (value instanceof Collection<?> values) {
			List<String> items = values.stream().map(v -> format(v, zone)).toList();
			return String.join(", ", items);
		}
		return value.toString();
	}

	private sealed interface Part permits Literal, Value, Section {

	}

	private record Literal(String text) implements Part {
	}

	private record Value(String name) implements Part {
	}

	private record Section(String name, boolean inverted, List<Part> body) implements Part {
	}

}
