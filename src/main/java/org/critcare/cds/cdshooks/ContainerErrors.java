package org.critcare.cds.cdshooks;

import java.util.Arrays;
import org.apache.catalina.core.StandardHost;
import org.critcare.cds.cors.AllowedOrigins;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Makes {@link ContainerErrorReportValve} the embedded Tomcat's error report, set on its
 * host before the server starts, with the origins that may read its answers.
 */
@Component
class ContainerErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	private final AllowedOrigins origins;

	ContainerErrors(AllowedOrigins origins) {
		this.origins = origins;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addContextCustomizers(context -> {
			if (context.getParent() instanceof StandardHost host) {
				// the host finds a valve of this class in its pipeline and adds no other
				host.setErrorReportValveClass(ContainerErrorReportValve.class.getName());
				if (Arrays.stream(host.getPipeline().getValves())
					.noneMatch(ContainerErrorReportValve.class::isInstance)) {
					host.getPipeline().addValve(new ContainerErrorReportValve(origins::allowOrigin));
				}
			}
		});
	}

}
