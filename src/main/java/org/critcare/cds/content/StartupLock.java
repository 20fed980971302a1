package org.critcare.cds.content;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Lets one node at a time create the schema and load the content when several nodes start
 * on one PostgreSQL database at once (issue 14): a PostgreSQL session-level advisory lock
 * ({@code pg_try_advisory_lock}, polled; PostgreSQL manual §13.3.5), taken before
 * anything uses the database (every {@code JdbcTemplate} and the entity manager factory
 * wait for this bean: {@link StartupLockDetector}) and released once
 * {@link ContentLoader} has stored the content and built the knowledge. The next node
 * then finds the schema and the content in place and writes nothing. PostgreSQL releases
 * the lock itself when the holding connection ends, so a node that dies while loading
 * never blocks the others. The embedded H2 database belongs to one process (H2 locks its
 * file): no lock there.
 */
public class StartupLock implements DisposableBean {

	/** The lock's key: any constant that no other application on the database uses. */
	static final long KEY = 0x63726974636172L;

	private static final Logger log = LoggerFactory.getLogger(StartupLock.class);

	private static final long POLL_MILLIS = 250;

	private Connection holder;

	StartupLock(DataSource dataSource, Duration timeout) throws SQLException {
		Connection connection = dataSource.getConnection();
		if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
			connection.close();
			return;
		}
		Instant deadline = Instant.now().plus(timeout);
		boolean waiting = false;
		while (!tryLock(connection)) {
			if (Instant.now().isAfter(deadline)) {
				connection.close();
				throw new IllegalStateException("Another node has held the start-up lock for longer than " + timeout
						+ " (cds.content.startup-lock-timeout)");
			}
			if (!waiting) {
				log.info("Waiting for another node to finish loading the content");
				waiting = true;
			}
			sleep();
		}
		holder = connection;
	}

	/** Lets the next node start; once only, and nothing when no lock is held. */
	public synchronized void release() {
		if (holder == null) {
			return;
		}
		try (Connection connection = holder;
				PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
			unlock.setLong(1, KEY);
			unlock.execute();
		}
		catch (SQLException e) {
			// the session is gone, and PostgreSQL released its lock with it
			log.warn("Start-up lock released with its connection: {}", e.getClass().getSimpleName());
		}
		finally {
			holder = null;
		}
	}

	@Override
	public void destroy() {
		release();
	}

	private static boolean tryLock(Connection connection) throws SQLException {
		try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
			lock.setLong(1, KEY);
			try (ResultSet result = lock.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(POLL_MILLIS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the start-up lock", e);
		}
	}

}
