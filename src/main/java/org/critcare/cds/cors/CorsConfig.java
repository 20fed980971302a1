package org.critcare.cds.cors;

import java.time.Duration;
import java.util.List;
import org.critcare.cds.security.SecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;

/**
 * CORS (Fetch standard) on every path a browser app uses: {@code /cds-services} (the CDS
 * Hooks sandbox and EHR web clients), {@code /fhir} (SMART apps and FHIR client
 * libraries, including the HAPI servlet), {@code /.well-known} and {@code /app}. One
 * servlet filter ahead of Spring MVC and the FHIR servlet answers preflights with the
 * methods and headers CDS Hooks and FHIR clients send and exposes the headers FHIR
 * answers carry.
 */
@Configuration(proxyBeanMethods = false)
class CorsConfig {

	static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

	static final List<String> REQUEST_HEADERS = List.of("Authorization", "Content-Type", "Accept", "Accept-Language",
			"Content-Language", "If-Match", "If-None-Match", "If-Modified-Since", "If-None-Exist", "Prefer",
			"X-Requested-With", "X-Request-Id", "Cache-Control");

	static final List<String> EXPOSED_HEADERS = List.of("Location", "Content-Location", "ETag", "Last-Modified",
			"X-Request-Id");

	private static final Logger log = LoggerFactory.getLogger("critcare.security");

	/**
	 * With {@code cds.security.enabled} only the listed origins: a {@code *} (the quick
	 * start's default) is dropped, with a warning.
	 */
	@Bean
	AllowedOrigins allowedOrigins(CorsProperties properties, SecurityProperties security) {
		List<String> origins = properties.allowedOrigins();
		if (security.enabled() && origins.contains(CorsConfiguration.ALL)) {
			log.warn("cds.cors.allowed-origins '*' is ignored with security on: list the origins of your SMART apps "
					+ "and EHR web clients");
			origins = origins.stream().filter(origin -> !origin.equals(CorsConfiguration.ALL)).toList();
		}
		return new AllowedOrigins(configuration(origins));
	}

	@Bean
	FilterRegistrationBean<CrossOriginFilter> corsFilter(AllowedOrigins origins) {
		return registration(origins.configuration());
	}

	FilterRegistrationBean<CrossOriginFilter> crossOriginFilter(CorsProperties properties) {
		return registration(configuration(properties.allowedOrigins()));
	}

	private static CorsConfiguration configuration(List<String> origins) {
		CorsConfiguration configuration = new CorsConfiguration();
		configuration.setAllowedOrigins(origins);
		configuration.setAllowCredentials(false);
		configuration.setAllowedMethods(METHODS);
		configuration.setAllowedHeaders(REQUEST_HEADERS);
		configuration.setExposedHeaders(EXPOSED_HEADERS);
		configuration.setMaxAge(Duration.ofMinutes(30));
		return configuration;
	}

	private static FilterRegistrationBean<CrossOriginFilter> registration(CorsConfiguration configuration) {
		FilterRegistrationBean<CrossOriginFilter> registration = new FilterRegistrationBean<>(
				new CrossOriginFilter(configuration));
		registration.addUrlPatterns("/cds-services/*", "/fhir/*", "/.well-known/*", "/app/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
