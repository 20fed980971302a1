package org.critcare.cds.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import org.critcare.cds.cdshooks.HookCalls;
import org.critcare.cds.support.Http;

/**
 * The CPU that reading the benchmark's CRE order-sign request costs in process: the 93 KB
 * body read into a JSON tree, checked, and its prefetch and draft orders parsed into FHIR
 * resources, as the server does before any CQL runs. The request is made as
 * {@link HookBenchmark} makes it, from a running server (the patient is stored there and
 * the prefetch filled from its templates). Usage (test classpath):
 * {@code RequestParseCost <base-url> [warm-up calls] [timed calls]}.
 */
public final class RequestParseCost {

	private RequestParseCost() {
	}

	public static void main(String[] args) {
		URI base = URI.create(args[0]);
		int warm = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
		int timed = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
		byte[] request = CreBenchmarkPatient.orderSign(new Http(base.getPort()));
		String service = "cre-stewardship";
		System.out.printf("request %d bytes, %d prefetch keys%n", request.length,
				HookCalls.parse(service, request, "en").prefetch().size());
		for (int i = 0; i < warm; i++) {
			HookCalls.parse(service, request, "en");
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpu = threads.getCurrentThreadCpuTime();
		for (int i = 0; i < timed; i++) {
			HookCalls.parse(service, request, "en");
		}
		System.out.printf("%d parses: %.3f ms CPU per request%n", timed,
				(threads.getCurrentThreadCpuTime() - cpu) / 1e6 / timed);
	}

}
