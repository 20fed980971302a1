package org.critcare.cds.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With every commit written at once ({@code WRITE_DELAY=0}, as the server runs H2), H2
 * rewrites no sparse chunks by itself and its file grows with every commit; the
 * housekeeping's rounds keep it to the size its data needs.
 */
class H2HousekeepingTests {

	private static final int COMMITS = 20_000;

	@TempDir
	Path dir;

	@Test
	void keepsTheFileFromGrowingUnderASteadyStreamOfCommits() throws SQLException {
		long without = fileSizeAfterCommits(dir.resolve("without"), false);
		long with = fileSizeAfterCommits(dir.resolve("with"), true);

		assertThat(with).as("file with housekeeping (%d bytes) against without (%d bytes)", with, without)
			.isLessThan(without / 2);
	}

	@Test
	void anInMemoryDatabaseHasNoFileToCompact() throws SQLException {
		JdbcDataSource memory = dataSource("jdbc:h2:mem:housekeeping");
		try (Connection open = memory.getConnection()) {
			H2Housekeeping housekeeping = new H2Housekeeping(memory);
			assertThat(housekeeping.compact()).isFalse();
			housekeeping.destroy();
		}
	}

	/**
	 * The size of the database file after {@link #COMMITS} transactions, each storing a
	 * new row (as a FHIR create stores a resource and its index rows) and updating a
	 * counter. A page written once and never again (a full leaf of the table or its
	 * index) keeps the chunk it was written in alive; without compaction nothing else of
	 * that chunk's space is reused. RETENTION_TIME=0 lets H2 reuse freed space at once,
	 * so that the test does not have to outlast H2's default 45 s retention.
	 */
	private static long fileSizeAfterCommits(Path directory, boolean housekeeping) throws SQLException {
		JdbcDataSource dataSource = dataSource(
				"jdbc:h2:file:" + directory.resolve("db") + ";WRITE_DELAY=0;RETENTION_TIME=0");
		try (Connection connection = dataSource.getConnection()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))");
				statement.execute("CREATE INDEX t_v ON t (v)");
				statement.execute("CREATE TABLE counter (id INT PRIMARY KEY, n INT)");
				statement.execute("INSERT INTO counter VALUES (1, 0)");
			}
			connection.setAutoCommit(false);
			H2Housekeeping rounds = housekeeping ? new H2Housekeeping(dataSource) : null;
			try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?)");
					PreparedStatement count = connection
						.prepareStatement("UPDATE counter SET n = n + 1 WHERE id = 1")) {
				for (int i = 0; i < COMMITS; i++) {
					insert.setInt(1, i);
					insert.setString(2, "resource " + (i * 7919 % COMMITS) + " " + "x".repeat(100));
					insert.executeUpdate();
					count.executeUpdate();
					connection.commit();
					if (rounds != null && i % 500 == 0) {
						rounds.compact();
					}
				}
			}
			if (rounds != null) {
				rounds.destroy();
			}
			return size(directory.resolve("db.mv.db"));
		}
	}

	private static JdbcDataSource dataSource(String url) {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL(url);
		return dataSource;
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (java.io.IOException e) {
			throw new IllegalStateException(e);
		}
	}

}
