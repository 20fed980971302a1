package org.critcare.cds.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code jti} values already seen (CDS Hooks best practices §JWT: "the jti has not
 * been seen … kept for the longest JWT lifetime"), in a table of the server's own
 * database, so that nodes sharing one database refuse each other's replays too. The
 * primary key makes the check atomic: a second insert of the same (issuer, jti) fails.
 * Rows are kept until the token expires (plus the clock skew), then purged now and then.
 */
class JtiReplayCache {

	private static final int PURGE_EVERY = 256;

	private final JdbcTemplate jdbc;

	private final AtomicLong inserts = new AtomicLong();

	JtiReplayCache(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		jdbc.execute("CREATE TABLE IF NOT EXISTS cds_jwt_seen (jti_hash VARCHAR(64) PRIMARY KEY, "
				+ "expires_at BIGINT NOT NULL)");
	}

	/**
	 * Records a token's first use.
	 * @return false when the (issuer, jti) pair was seen before and has not expired
	 */
	boolean firstUse(String issuer, String jti, Instant keepUntil) {
		String hash = hash(issuer + "\n" + jti);
		if (inserts.incrementAndGet() % PURGE_EVERY == 0) {
			jdbc.update("DELETE FROM cds_jwt_seen WHERE expires_at < ?", Instant.now().getEpochSecond());
		}
		if (insert(hash, keepUntil)) {
			return true;
		}
		// seen before: a replay, unless that row had expired and not been purged yet
		int expired = jdbc.update("DELETE FROM cds_jwt_seen WHERE jti_hash = ? AND expires_at < ?", hash,
				Instant.now().getEpochSecond());
		return expired > 0 && insert(hash, keepUntil);
	}

	private boolean insert(String hash, Instant keepUntil) {
		try {
			jdbc.update("INSERT INTO cds_jwt_seen (jti_hash, expires_at) VALUES (?, ?)", hash,
					keepUntil.getEpochSecond());
			return true;
		}
		catch (DataIntegrityViolationException duplicate) {
			return false;
		}
	}

	private static String hash(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every JRE", e);
		}
	}

}
