package org.critcare.cds.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;

/**
 * HAPI's lenient parsing, except where it would keep less than the client sent: an object
 * or array where a value belongs (or the reverse), several values for an element that
 * holds one, and, for resources to be stored, an element FHIR R4 does not define. Those
 * throw {@link ElementDroppedException}, so the request is refused (400) instead of being
 * acknowledged, or evaluated, without them. A number sent as a string keeps its value and
 * stays accepted; a value that does not fit its type is refused by HAPI already.
 */
public final class NothingDroppedErrorHandler extends LenientErrorHandler {

	/** For resources to be stored: nothing sent may be left out. */
	public static final NothingDroppedErrorHandler STORED = new NothingDroppedErrorHandler(false);

	/**
	 * For a patient's data to be evaluated (prefetch, context, a {@code fhirServer}'s
	 * answers): what the logic reads may not be left out; an element R4 does not define,
	 * which no logic reads (an EHR's later-version or local content), is.
	 */
	public static final NothingDroppedErrorHandler EVALUATED = new NothingDroppedErrorHandler(true);

	private final boolean unknownElementsIgnored;

	private NothingDroppedErrorHandler(boolean unknownElementsIgnored) {
		super(false);
		this.unknownElementsIgnored = unknownElementsIgnored;
	}

	@Override
	public void incorrectJsonType(IParseLocation location, String element, ValueType expected,
			ScalarType expectedScalar, ValueType found, ScalarType foundScalar) {
		if (expected != found && found != ValueType.NULL) {
			throw new ElementDroppedException(
					where(location, element) + ": expected " + kind(expected) + ", found " + kind(found));
		}
		super.incorrectJsonType(location, element, expected, expectedScalar, found, foundScalar);
	}

	@Override
	public void unknownElement(IParseLocation location, String element) {
		if (unknownElementsIgnored) {
			super.unknownElement(location, element);
			return;
		}
		throw new ElementDroppedException(where(location, element) + ": not an element FHIR R4 defines there");
	}

	@Override
	public void unexpectedRepeatingElement(IParseLocation location, String element) {
		throw new ElementDroppedException(where(location, element) + ": holds one value, several were sent");
	}

	private static String where(IParseLocation location, String element) {
		String parent = location == null ? null : location.getParentElementName();
		return parent == null ? "'" + element + "'" : "'" + element + "' in " + parent;
	}

	private static String kind(ValueType type) {
		return switch (type) {
			case ARRAY -> "an array";
			case OBJECT -> "an object";
			case SCALAR -> "a value";
			case NULL -> "null";
		};
	}

	/** The resource has content that parsing would drop. */
	public static final class ElementDroppedException extends DataFormatException {

		ElementDroppedException(String message) {
			super(message);
		}

	}

}
