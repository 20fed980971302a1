package org.critcare.cds.cors;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access for browsers ({@code cds.cors.*}).
 *
 * @param allowedOrigins the origins (scheme://host[:port]) whose pages may call the
 * server; {@code *} = any origin (the embedded quick start). Cookies are never allowed
 * cross-origin; bearer tokens in the Authorization header are.
 */
@ConfigurationProperties("cds.cors")
public record CorsProperties(@DefaultValue("*") List<String> allowedOrigins) {
}
