package org.critcare.cds.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Runs the integration tests on PostgreSQL instead of H2 (issue 14 §3) when the system
 * property {@code cds.it.database} is {@code postgres} (Maven profile
 * {@code postgres-it}, {@code .ci/postgres-it}); otherwise it does nothing. The tests
 * stay unchanged: each H2 database a test would use becomes a PostgreSQL database of its
 * own, created on first use in the cluster that {@code CDS_DB_URL} (with
 * {@code CDS_DB_USERNAME}, {@code CDS_DB_PASSWORD}) names: the shared in-memory database
 * of {@link CdsServerTest} one per test JVM, an H2 file database one per data directory
 * (so a test that restarts on the same data directory finds its data again). The server
 * runs with the {@code postgres} profile, so {@code application-postgres.yaml} is what is
 * tested.
 */
public class PostgresTestDatabases implements EnvironmentPostProcessor {

	/** Whether the tests run on PostgreSQL. */
	public static boolean enabled() {
		return "postgres".equals(System.getProperty("cds.it.database"));
	}

	/** Databases of this test JVM are new: a run never sees an earlier run's data. */
	private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!enabled()) {
			return;
		}
		String url = environment.getProperty("spring.datasource.url", "");
		String key = url.startsWith("jdbc:h2:mem:") ? url
				: "data-dir:" + Path.of(environment.getProperty("cds.data-dir", "data")).toAbsolutePath().normalize();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("critcare-it-postgres", Map.of("spring.datasource.url", url(key))));
	}

	/**
	 * The server arguments of a packaged server ({@link ServerProcess}) on the data
	 * directory; none when the tests run on H2.
	 */
	static List<String> serverArguments(Path dataDir) {
		if (!enabled()) {
			return List.of();
		}
		return List.of("--spring.profiles.active=postgres",
				"--spring.datasource.url=" + url("data-dir:" + dataDir.toAbsolutePath().normalize()));
	}

	/** The JDBC URL of the database for the key, created if it does not exist. */
	static synchronized String url(String key) {
		String admin = System.getenv("CDS_DB_URL");
		if (admin == null || admin.isBlank()) {
			throw new IllegalStateException("cds.it.database=postgres needs CDS_DB_URL (see .ci/postgres-it)");
		}
		String name = "it_" + RUN + "_" + hash(key);
		try (Connection connection = DriverManager.getConnection(admin, env("CDS_DB_USERNAME"), env("CDS_DB_PASSWORD"));
				PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
			exists.setString(1, name);
			try (ResultSet found = exists.executeQuery()) {
				if (!found.next()) {
					try (Statement create = connection.createStatement()) {
						create.execute("CREATE DATABASE " + name);
					}
				}
			}
		}
		catch (SQLException e) {
			throw new IllegalStateException("Could not create the test database " + name, e);
		}
		return admin.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
	}

	private static String env(String name) {
		String value = System.getenv(name);
		return value == null ? "" : value;
	}

	private static String hash(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

}
