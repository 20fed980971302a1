package org.critcare.cds.cql;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.runtime.Concept;
import org.opencds.cqf.cql.engine.runtime.Date;
import org.opencds.cqf.cql.engine.runtime.DateTime;
import org.opencds.cqf.cql.engine.runtime.Quantity;

/**
 * Turns CQL engine values into plain Java values, so that no package but this one depends
 * on the engine: Boolean, String, Integer and BigDecimal stay; DateTime becomes
 * {@link OffsetDateTime}; Date becomes {@link LocalDate}; a Quantity, Code or Concept
 * becomes its display text; lists are converted element by element; FHIR resources and
 * anything else are passed through.
 */
final class CqlValues {

	private CqlValues() {
	}

	static Object toPlain(Object value) {
		if (value == null || value instanceof Boolean || value instanceof String || value instanceof Integer
				|| value instanceof BigDecimal || value instanceof Long) {
			return value;
		}
		if (value instanceof DateTime dateTime) {
			return dateTime.getDateTime();
		}
		if (value instanceof Date date) {
			return date.getDate();
		}
		if (value instanceof Quantity quantity) {
			return quantity.getValue().stripTrailingZeros().toPlainString()
					+ (quantity.getUnit() == null || "1".equals(quantity.getUnit()) ? "" : " " + quantity.getUnit());
		}
		if (value instanceof Code code) {
			return code.getDisplay() != null ? code.getDisplay() : code.getCode();
		}
		if (value instanceof Concept concept) {
			return concept.getDisplay() != null ? concept.getDisplay()
					: concept.getCodes().isEmpty() ? null : toPlain(concept.getCodes().get(0));
		}
		if (value instanceof Iterable<?> values) {
			List<Object> plain = new ArrayList<>();
			values.forEach(v -> plain.add(toPlain(v)));
			return plain;
		}
		return value;
	}

}
