package org.critcare.cds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No library of cql/ sorts by more than one key (cql/README.md, "Sorting"): the pinned
 * engine (4.4.0) lets the last key of {@code sort by a, b} decide first, other engines
 * the first, so "the latest" is chosen one criterion at a time and every engine gives the
 * same answer. The answers themselves are tested by the scenarios (e.g.
 * CRE-D6-LATEST-OF-KIND, the isolate ties of CLINICAL-SPEC §10.12) and
 * {@link LatestValueOrderingTests}.
 */
class PortableSortTests {

	static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

	static final Pattern SORT = Pattern.compile("\\bsort\\s+by\\s+([^\\n)]*)");

	@Test
	void everySortOfEveryLibraryHasASingleKey() throws IOException {
		List<String> multiKey = new ArrayList<>();
		try (Stream<Path> files = Files.list(Path.of("cql"))) {
			for (Path file : files.filter(f -> f.toString().endsWith(".cql")).sorted().toList()) {
				String logic = COMMENT.matcher(Files.readString(file)).replaceAll(" ");
				Matcher sort = SORT.matcher(logic);
				while (sort.find()) {
					if (sort.group(1).contains(",")) {
						multiKey.add(file.getFileName() + ": sort by " + sort.group(1).strip());
					}
				}
			}
		}
		assertThat(multiKey).isEmpty();
	}

}
