package org.critcare.cds.cql;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
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
 * definitions on every retrieve.</li>
 * </ul>
 */
final class PathResolvingR4ModelResolver extends R4FhirModelResolver {

	/** Before the Gregorian calendar the engine's calendar-based conversion differs. */
	private static final int FIRST_GREGORIAN_YEAR = 1583;

	/**
	 * Context paths by context type and target type; {@link Optional#empty()} for none.
	 */
	private final Map<String, Optional<Object>> contextPaths = new ConcurrentHashMap<>();

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
		return super.resolveProperty(target, path);
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
