package org.critcare.cds.recommendation;

/** No CDS service with that id is offered. */
public class UnknownServiceException extends RuntimeException {

	public UnknownServiceException(String serviceId) {
		super("No CDS service '" + serviceId + "' is offered here");
	}

}
