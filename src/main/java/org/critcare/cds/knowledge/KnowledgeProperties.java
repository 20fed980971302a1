package org.critcare.cds.knowledge;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the knowledge follows the store ({@code cds.knowledge.*}).
 *
 * @param changeCheckInterval how often the store is checked for knowledge resources
 * written through another node on the same database (issue 14); a change written there is
 * served here within this interval plus one rebuild
 */
@ConfigurationProperties("cds.knowledge")
public record KnowledgeProperties(@DefaultValue("1s") Duration changeCheckInterval) {
}
