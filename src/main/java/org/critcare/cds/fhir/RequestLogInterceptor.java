package org.critcare.cds.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One INFO line per FHIR REST request: method, interaction, resource type, status and
 * time. Never the URL (it can carry patient ids in search parameters), the body or any
 * header.
 */
@Component
class RequestLogInterceptor {

	private static final Logger log = LoggerFactory.getLogger("critcare.fhir.request");

	@Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
	public void completed(ServletRequestDetails request) {
		log.info("fhir {} {} {} status={} ms={}", request.getRequestType(), interaction(request), type(request),
				request.getServletResponse().getStatus(), elapsedMillis(request));
	}

	@Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
	public boolean failed(RequestDetails request, BaseServerResponseException exception) {
		log.info("fhir {} {} {} status={} ms={}", request.getRequestType(), interaction(request), type(request),
				exception.getStatusCode(), elapsedMillis(request));
		return true;
	}

	private static String interaction(RequestDetails request) {
		if (request.getOperation() != null) {
			return request.getOperation();
		}
		return request.getRestOperationType() == null ? "unknown" : request.getRestOperationType().getCode();
	}

	private static String type(RequestDetails request) {
		return request.getResourceName() == null ? "-" : request.getResourceName();
	}

	private static long elapsedMillis(RequestDetails request) {
		return request.getRequestStopwatch().getMillis();
	}

}
