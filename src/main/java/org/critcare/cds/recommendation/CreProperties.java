package org.critcare.cds.recommendation;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Site settings of the cre-stewardship service ({@code cds.cre.*}), passed to its CQL as
 * parameters on every evaluation.
 *
 * @param ceftazidimeAvibactamAvailable whether ceftazidime-avibactam is on the formulary:
 * CLINICAL-SPEC §5.3 item 7 [PROPOSAL] flag {@code cazAviAvailable}, default true; when
 * false the cards that name it as an option (CRE-OPTION-MBL-NOVEL-BETALACTAM,
 * CRE-OPTION-NONCP-NOVEL-BETALACTAM) say it is not available. CQL parameter
 * {@value #CAZ_AVI_AVAILABLE} of library CreStewardship.
 */
@ConfigurationProperties("cds.cre")
public record CreProperties(@DefaultValue("true") boolean ceftazidimeAvibactamAvailable) {

	static final String CAZ_AVI_AVAILABLE = "CAZ-AVI Is Available";

	/** The CQL parameters these settings set, by name. */
	public Map<String, Object> cqlParameters() {
		return Map.of(CAZ_AVI_AVAILABLE, ceftazidimeAvibactamAvailable);
	}

}
