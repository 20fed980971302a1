package org.critcare.cds.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SMART App Launch 2.2 §Scopes: v2 letters, v1 names, and what grants nothing. */
class SmartScopeTests {

	@Test
	void v2ScopesKeepTheirLetters() {
		assertThat(SmartScope.parse("patient/Observation.rs")).contains(new SmartScope("patient", "Observation", "rs"));
		assertThat(SmartScope.parse("user/*.cruds")).contains(new SmartScope("user", "*", "cruds"));
		assertThat(SmartScope.parse("system/*.rs")).contains(new SmartScope("system", "*", "rs"));
	}

	@Test
	void v1ScopesMapToV2Letters() {
		assertThat(SmartScope.parse("patient/*.read")).contains(new SmartScope("patient", "*", "rs"));
		assertThat(SmartScope.parse("user/Observation.write")).contains(new SmartScope("user", "Observation", "cud"));
		assertThat(SmartScope.parse("user/*.*")).contains(new SmartScope("user", "*", "cruds"));
	}

	@Test
	void constrainedMisorderedAndNonClinicalScopesGrantNothing() {
		assertThat(SmartScope.parseAll(List.of("patient/Observation.rs?category=laboratory", "patient/*.sr",
				"patient/*.", "openid", "fhirUser", "launch/patient", "offline_access", "cds/admin", "Patient/*.rs",
				"patient/observation.rs")))
			.isEmpty();
	}

	@Test
	void permissionsAreReadFromTheLetters() {
		SmartScope scope = SmartScope.parse("patient/*.cu").orElseThrow();
		assertThat(scope.allows('c')).isTrue();
		assertThat(scope.allows('u')).isTrue();
		assertThat(scope.allows('r')).isFalse();
		assertThat(scope.allows('d')).isFalse();
		assertThat(scope.isPatient()).isTrue();
		assertThat(scope.allTypes()).isTrue();
	}

}
