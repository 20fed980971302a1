package org.critcare.cds.cql;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import ca.uhn.fhir.context.RuntimeChildPrimitiveDatatypeDefinition;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.cql.engine.fhir.model.R4FhirModelResolver;
import org.opencds.cqf.cql.engine.runtime.DateTime;
import org.opencds.cqf.cql.engine.runtime.Precision;
import org.opencds.cqf.cql.engine.runtime.TemporalHelper;

/**
 * The CQL engine's FHIR R4 model resolver with two shortcuts that give the same values:
 * <ul>
 * <li>property paths such as {@code status} or {@code value.code} are split on dots
 * directly; the engine's own implementation compiles a regular expression for every
 * property access, which was a large share of evaluation time. Paths with an index
 * ({@code item[0]}) take the engine's path;</li>
 * <li>the value of a FHIR {@code dateTime} or {@code instant} becomes a CQL DateTime from
 * its instant, time zone and precision directly; the engine's own conversion goes through
 * a {@code GregorianCalendar}, a formatted string and a parse, once for every Observation
 * time a query reads;</li>
 * <li>the path from a resource type to the patient ({@code getContextPath}) is looked up
 * once per context and type and remembered: the engine works it out from the FHIR model's
 * definitions on every retrieve;</li>
 * <li>which child of a resource or data type a property name reads (and whether it is a
 * choice such as {@code value[x]}) is worked out once per class and name and remembered:
 * the engine looks up the type's definition, and for a choice walks its children, on
 * every property access.</li>
 * </ul>
 */
final class PathResolvingR4ModelResolver extends R4FhirModelResolver {

	/** Before the Gregorian calendar the engine's calendar-based conversion differs. */
	private static final int FIRST_GREGORIAN_YEAR = 1583;

	/**
	 * Context paths by context type and target type; {@link Optional#empty()} for none.
	 */
	private final Map<String, Optional<Object>> contextPaths = new ConcurrentHashMap<>();

	/** How a property name is read from instances of a class, by class and name. */
	private final ClassValue<Map<String, Child>> children = new ClassValue<>() {
		@Override
		protected Map<String, Child> computeValue(Class<?> type) {
			return new ConcurrentHashMap<>();
		}
	};

	PathResolvingR4ModelResolver(FhirContext fhirContext) {
		super(fhirContext);
	}

	@Override
	public Object getContextPath(String contextType, String targetType) {
		if (contextType == null || targetType == null) {
			return super.getContextPath(contextType, targetType);
		}
		return contextPaths
			.computeIfAbsent(contextType + '/' + targetType,
					key -> Optional.ofNullable(super.getContextPath(contextType, targetType)))
			.orElse(null);
	}

	@Override
	public Object resolvePath(Object target, String path) {
		if (path.indexOf('[') >= 0) {
			return super.resolvePath(target, path);
		}
		Object current = target;
		int start = 0;
		while (start < path.length()) {
			int dot = path.indexOf('.', start);
			int end = dot < 0 ? path.length() : dot;
			if (end > start) {
				current = resolveProperty(current, path.substring(start, end));
			}
			start = end + 1;
		}
		return current;
	}

	@Override
	protected Object resolveProperty(Object target, String path) {
		if (target != null && (target.getClass() == DateTimeType.class || target.getClass() == InstantType.class)
				&& path.equals("value")) {
			DateTime converted = toCqlDateTime((BaseDateTimeType) target);
			if (converted != null) {
				return converted;
			}
		}
		if (target instanceof Base base && !(target instanceof IPrimitiveType<?>)) {
			if (target instanceof Resource resource && resource.fhirType().equals(path)) {
				return target;
			}
			Child child = children.get(target.getClass()).computeIfAbsent(path, name -> child(base, name));
			if (child != Child.ENGINE) {
				return child.read(base);
			}
		}
		return super.resolveProperty(target, path);
	}

	/**
	 * The child a property name reads, as the engine's
	 * {@code FhirModelResolver.resolveProperty} finds it: by name, else the choice whose
	 * name starts with it. {@link Child#ENGINE} where the engine's own resolution must
	 * decide (a choice named by a type the definition does not know).
	 */
	private Child child(Base base, String name) {
		BaseRuntimeElementCompositeDefinition<?> definition = resolveRuntimeDefinition(base);
		BaseRuntimeChildDefinition child = definition.getChildByName(name);
		if (child == null) {
			child = resolveChoiceProperty(definition, name);
		}
		if (child == null) {
			return Child.NONE;
		}
		String choiceType = null;
		if (child instanceof RuntimeChildChoiceDefinition choice && !choice.getElementName().equalsIgnoreCase(name)) {
			BaseRuntimeElementDefinition<?> typed = choice.getChildByName(name);
			if (typed == null) {
				return Child.ENGINE;
			}
			choiceType = typed.getImplementingClass().getSimpleName();
		}
		return new Child(child, child instanceof RuntimeChildPrimitiveDatatypeDefinition, choiceType,
				child.getMax() < 1);
	}

	/**
	 * A property's child definition and what the engine does with its values: a primitive
	 * without a value is null; a choice named by its type ({@code valueQuantity}) is null
	 * when the value is of another type; a repeating element is the list, a single one
	 * its value.
	 */
	private record Child(BaseRuntimeChildDefinition definition, boolean primitive, String choiceType,
			boolean repeating) {

		/** The property does not exist: the engine answers null. */
		static final Child NONE = new Child(null, false, null, false);

		/** Left to the engine's own resolution. */
		static final Child ENGINE = new Child(null, false, null, false);

		Object read(Base base) {
			if (definition == null) {
				return null;
			}
			List<IBase> values = definition.getAccessor().getValues(base);
			if (values == null || values.isEmpty()) {
				return null;
			}
			IBase first = values.get(0);
			if (primitive && first instanceof IPrimitiveType<?> value && !value.hasValue()) {
				return null;
			}
			if (choiceType != null && !first.getClass().getSimpleName().equalsIgnoreCase(choiceType)) {
				return null;
			}
			return repeating ? values : first;
		}

	}

	/**
	 * The CQL DateTime the engine makes of a FHIR dateTime or instant: the local date and
	 * time in the value's time zone (the server's when it has none), cut to the value's
	 * precision, with that zone's offset in hours and minutes. {@code null} when the
	 * value is empty or before the Gregorian calendar (the engine's own conversion then
	 * applies).
	 */
	static DateTime toCqlDateTime(BaseDateTimeType value) {
		if (value.getValue() == null) {
			return null;
		}
		long millis = value.getValue().getTime();
		TimeZone zone = value.getTimeZone() != null ? value.getTimeZone() : TimeZone.getDefault();
		ZoneOffset zoneOffset = ZoneOffset.ofTotalSeconds(zone.getOffset(millis) / 1000);
		LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), zoneOffset);
		if (local.getYear() < FIRST_GREGORIAN_YEAR) {
			return null;
		}
		Precision precision = precision(value.getPrecision());
		LocalDateTime cut = switch (precision) {
			case YEAR -> LocalDateTime.of(local.getYear(), 1, 1, 0, 0);
			case MONTH -> LocalDateTime.of(local.getYear(), local.getMonthValue(), 1, 0, 0);
			case DAY -> local.truncatedTo(ChronoUnit.DAYS);
			case MINUTE -> local.truncatedTo(ChronoUnit.MINUTES);
			case SECOND -> local.truncatedTo(ChronoUnit.SECONDS);
			default -> local.truncatedTo(ChronoUnit.MILLIS);
		};
		// the engine carries the offset as decimal hours and back (TemporalHelper)
		BigDecimal hours = TemporalHelper.INSTANCE.zoneToOffset(zoneOffset);
		ZoneOffset offset = ZoneOffset.ofHoursMinutes(hours.intValue(),
				BigDecimal.valueOf(60).multiply(hours.remainder(BigDecimal.ONE)).intValue());
		return new DateTime(OffsetDateTime.of(cut, offset), precision);
	}

	private static Precision precision(TemporalPrecisionEnum precision) {
		return switch (precision) {
			case YEAR -> Precision.YEAR;
			case MONTH -> Precision.MONTH;
			case DAY -> Precision.DAY;
			case MINUTE -> Precision.MINUTE;
			case SECOND -> Precision.SECOND;
			case MILLI -> Precision.MILLISECOND;
		};
	}

}
