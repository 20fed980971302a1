package org.critcare.cds.cql;

import java.util.List;

/**
 * CQL that does not compile. Each problem names the source and the line and column, e.g.
 * {@code cql/SepsisPerfusion.cql:12:5: Could not resolve identifier "MAP"}.
 */
public class CqlCompilationException extends RuntimeException {

	private final List<String> problems;

	public CqlCompilationException(List<String> problems) {
		super("CQL does not compile:\n  " + String.join("\n  ", problems));
		this.problems = List.copyOf(problems);
	}

	public List<String> problems() {
		return problems;
	}

}
