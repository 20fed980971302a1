package org.critcare.cds.cql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.terminology.CodeSystemInfo;
import org.opencds.cqf.cql.engine.terminology.TerminologyProvider;
import org.opencds.cqf.cql.engine.terminology.ValueSetInfo;

/**
 * The pre-expanded value sets of the knowledge base, held in memory so that no
 * terminology server is needed: the codes of each ValueSet's {@code expansion}, or of its
 * enumerated {@code compose.include.concept} when it has no expansion.
 */
final class ValueSetIndex implements TerminologyProvider {

	private final Map<String, Set<String>> keysByUrl = new HashMap<>();

	private final Map<String, List<Code>> codesByUrl = new HashMap<>();

	ValueSetIndex(Collection<? extends IBaseResource> valueSets) {
		for (IBaseResource resource : valueSets) {
			if (resource instanceof ValueSet valueSet && valueSet.hasUrl()) {
				List<Code> codes = codes(valueSet);
				Set<String> keys = new HashSet<>();
				codes.forEach(c -> keys.add(key(c.getSystem(), c.getCode())));
				keysByUrl.put(valueSet.getUrl(), keys);
				codesByUrl.put(valueSet.getUrl(), codes);
				if (valueSet.hasVersion()) {
					keysByUrl.put(valueSet.getUrl() + "|" + valueSet.getVersion(), keys);
					codesByUrl.put(valueSet.getUrl() + "|" + valueSet.getVersion(), codes);
				}
			}
		}
	}

	/**
	 * Whether the coding (system and code) is a member of the value set with that url.
	 */
	boolean contains(String valueSetUrl, String system, String code) {
		Set<String> keys = keysByUrl.get(valueSetUrl);
		return keys != null && keys.contains(key(system, code));
	}

	List<Code> codes(String valueSetUrl) {
		List<Code> codes = codesByUrl.get(valueSetUrl);
		if (codes == null) {
			throw new IllegalArgumentException("Unknown value set " + valueSetUrl);
		}
		return codes;
	}

	static String key(String system, String code) {
		return system + "|" + code;
	}

	@Override
	public boolean in(Code code, ValueSetInfo valueSet) {
		return contains(url(valueSet), code.getSystem(), code.getCode());
	}

	@Override
	public Iterable<Code> expand(ValueSetInfo valueSet) {
		return codes(url(valueSet));
	}

	@Override
	public Code lookup(Code code, CodeSystemInfo codeSystem) {
		return code;
	}

	private static String url(ValueSetInfo valueSet) {
		return valueSet.getVersion() == null ? valueSet.getId() : valueSet.getId() + "|" + valueSet.getVersion();
	}

	private static List<Code> codes(ValueSet valueSet) {
		List<Code> codes = new ArrayList<>();
		if (valueSet.hasExpansion()) {
			addContains(valueSet.getExpansion().getContains(), codes);
		}
		else {
			for (var include : valueSet.getCompose().getInclude()) {
				for (var concept : include.getConcept()) {
					codes.add(new Code().withSystem(include.getSystem())
						.withCode(concept.getCode())
						.withDisplay(concept.getDisplay()));
				}
			}
		}
		return codes;
	}

	private static void addContains(List<ValueSet.ValueSetExpansionContainsComponent> contains, List<Code> codes) {
		for (var entry : contains) {
			if (entry.hasCode() && !entry.getAbstract()) {
				codes.add(new Code().withSystem(entry.getSystem())
					.withCode(entry.getCode())
					.withDisplay(entry.getDisplay()));
			}
			addContains(entry.getContains(), codes);
		}
	}

}
