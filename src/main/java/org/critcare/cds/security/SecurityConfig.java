package org.critcare.cds.security;

import ca.uhn.fhir.rest.server.RestfulServer;
import org.critcare.cds.fhir.FhirServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The secured server ({@code cds.security.enabled=true}), in three Spring Security filter
 * chains: {@code /cds-services} for signed CDS client JWTs (CDS Hooks 2.0 §Trusting CDS
 * Clients), {@code /fhir} as an OAuth 2.0 resource server for SMART access tokens (SMART
 * App Launch 2.2), scopes enforced per resource by HAPI interceptors registered here; and
 * everything else, where only {@code /.well-known}, health, the Prometheus metrics (no
 * patient data in them), the SMART app's static files and settings and the error page are
 * open; the app's rule-fire counts need a SMART access token, as {@code /fhir} does, and
 * its cards of a patient a token that may read that patient's record
 * ({@link PatientRecordAccess}). No sessions, no cookies, no CSRF tokens (no request is
 * authenticated by a cookie), no login page. Off, Spring Security is not in the request
 * path at all.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cds.security.enabled", havingValue = "true")
@EnableWebSecurity
class SecurityConfig {

	private static final Logger log = LoggerFactory.getLogger("critcare.security");

	@Bean
	@Order(1)
	SecurityFilterChain cdsHooksChain(HttpSecurity http, SecurityProperties properties, FhirServerProperties fhirServer,
			JdbcTemplate jdbc, SecurityAudit audit) throws Exception {
		CdsClientTokens tokens = new CdsClientTokens(properties.cdsClients(), properties.clockSkew(),
				new JtiReplayCache(jdbc));
		CdsClientAuthenticationFilter filter = new CdsClientAuthenticationFilter(tokens,
				new CalledUrls(fhirServer.serverAddress()), audit);
		stateless(http).securityMatcher(new OrRequestMatcher(path("/cds-services"), path("/cds-services/**")))
			.addFilterBefore(filter, AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			.exceptionHandling(
					errors -> errors.authenticationEntryPoint((request, response, e) -> response.setStatus(401)));
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain fhirChain(HttpSecurity http, SecurityProperties properties, FhirServerProperties fhirServer,
			SecurityAudit audit) throws Exception {
		String audience = properties.fhirAudience().isBlank() ? fhirServer.serverAddress().strip()
				: properties.fhirAudience().strip();
		if (audience.isBlank()) {
			log.warn("cds.security.fhir-audience and cds.fhir.server-address are empty: /fhir accepts no token");
		}
		FhirAuthenticationEntryPoint entryPoint = new FhirAuthenticationEntryPoint(audit);
		// the SMART app's API (issue 13) needs the same SMART access token as /fhir: the
		// committee view's rule-fire counts any valid token, a patient's cards read
		// access to that patient's whole record
		String patientCards = "/app/api/patients/{" + PatientRecordAccess.PATIENT + "}/cards";
		stateless(http)
			.securityMatcher(new OrRequestMatcher(path("/fhir"), path("/fhir/**"), path("/app/api/rule-fires"),
					path(patientCards)))
			.authorizeHttpRequests(requests -> requests
				.requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/fhir/metadata"),
						PathPatternRequestMatcher.withDefaults()
							.matcher(HttpMethod.GET, SmartConfigurationForward.FHIR_BASE_PATH))
				.permitAll()
				.requestMatchers(path(patientCards))
				.access(new PatientRecordAccess(properties.adminScope(), audit))
				.anyRequest()
				.authenticated())
			.oauth2ResourceServer(resourceServer -> resourceServer
				.authenticationManagerResolver(FhirAccessTokens.resolver(properties, audience))
				.authenticationEntryPoint(entryPoint))
			.exceptionHandling(errors -> errors.authenticationEntryPoint(entryPoint));
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain otherPathsChain(HttpSecurity http) throws Exception {
		stateless(http).authorizeHttpRequests(
				requests -> requests
					.requestMatchers(path("/.well-known/**"), path("/actuator/health"), path("/actuator/health/**"),
							path("/error"), path("/actuator/prometheus"), path("/app"), path("/app/"),
							path("/app/*.html"), path("/app/assets/**"), path("/app/api/config"))
					.permitAll()
					.anyRequest()
					.denyAll());
		return http.build();
	}

	/**
	 * {@code /fhir/.well-known/smart-configuration}, where SMART clients look for it, is
	 * the document at {@code /.well-known/smart-configuration}.
	 */
	@Bean
	FilterRegistrationBean<SmartConfigurationForward> smartConfigurationAtFhirBase() {
		FilterRegistrationBean<SmartConfigurationForward> registration = new FilterRegistrationBean<>(
				new SmartConfigurationForward());
		registration.addUrlPatterns(SmartConfigurationForward.FHIR_BASE_PATH);
		return registration;
	}

	/**
	 * Spring Security's firewall, but letting an encoded {@code %} through: FHIR search
	 * values may contain one.
	 */
	@Bean
	WebSecurityCustomizer firewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowUrlEncodedPercent(true);
		return web -> web.httpFirewall(firewall);
	}

	@Bean
	SmartInitializingSingleton fhirAuthorizationInterceptors(RestfulServer fhir, SecurityProperties properties,
			SecurityAudit audit) {
		return () -> {
			fhir.registerInterceptor(new SmartAuthorizationInterceptor(audit, properties.adminScope()));
			fhir.registerInterceptor(new SmartSearchNarrowingInterceptor(properties.adminScope()));
			fhir.registerInterceptor(new SmartCapabilityInterceptor(properties.smart()));
		};
	}

	private static HttpSecurity stateless(HttpSecurity http) throws Exception {
		return http.csrf(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
	}

	private static RequestMatcher path(String pattern) {
		return PathPatternRequestMatcher.withDefaults().matcher(pattern);
	}

}
