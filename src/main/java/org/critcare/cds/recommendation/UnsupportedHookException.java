package org.critcare.cds.recommendation;

import java.util.Set;

/** The service does not answer the hook the call names. */
public class UnsupportedHookException extends RuntimeException {

	public UnsupportedHookException(String serviceId, String hook, Set<String> hooks) {
		super("CDS service '" + serviceId + "' does not answer hook '" + hook + "'; it answers " + hooks);
	}

}
