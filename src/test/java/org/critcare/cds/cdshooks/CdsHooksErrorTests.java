package org.critcare.cds.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's error table lists exactly the codes of {@link CdsHooksError}. */
class CdsHooksErrorTests {

	@Test
	void theReadmeErrorTableListsEveryCodeWithItsStatus() throws IOException {
		Map<String, Integer> documented = new HashMap<>();
		Pattern row = Pattern.compile("^\\| (\\d{3}) \\| (.*?) \\|");
		Pattern code = Pattern.compile("`([A-Z_]+)`");
		for (String line : Files.readAllLines(Path.of("README.md"))) {
			Matcher matcher = row.matcher(line);
			if (matcher.find()) {
				Matcher codes = code.matcher(matcher.group(2));
				while (codes.find()) {
					documented.put(codes.group(1), Integer.valueOf(matcher.group(1)));
				}
			}
		}
		Map<String, Integer> implemented = new HashMap<>();
		for (CdsHooksError error : CdsHooksError.values()) {
			implemented.put(error.name(), error.status().value());
		}
		assertThat(documented).isEqualTo(implemented);
	}

}
