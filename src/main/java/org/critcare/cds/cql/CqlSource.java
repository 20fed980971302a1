package org.critcare.cds.cql;

/**
 * The text of one CQL library and where it came from (a file path such as
 * {@code cql/SepsisPerfusion.cql}, or a stored Library), used in error messages.
 */
public record CqlSource(String location, String text) {
}
