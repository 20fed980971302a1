package org.critcare.cds.patientdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a cap: a larger answer (by its Content-Length,
 * or by what arrives) fails with {@link TooLargeException} and the exchange is cancelled,
 * so a remote server cannot fill the heap.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

	/** An answer larger than the cap. */
	static final class TooLargeException extends IOException {

		TooLargeException() {
			super("response body over the size cap");
		}

	}

	private final long maxBytes;

	private final CompletableFuture<byte[]> body = new CompletableFuture<>();

	private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

	private Flow.Subscription subscription;

	private long received;

	private CappedBody(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	static HttpResponse.BodyHandler<byte[]> handler(long maxBytes) {
		return info -> {
			CappedBody subscriber = new CappedBody(maxBytes);
			if (info.headers().firstValueAsLong("Content-Length").orElse(0) > maxBytes) {
				subscriber.body.completeExceptionally(new TooLargeException());
			}
			return subscriber;
		};
	}

	@Override
	public CompletionStage<byte[]> getBody() {
		return body;
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription = subscription;
		if (body.isDone()) {
			subscription.cancel();
		}
		else {
			subscription.request(Long.MAX_VALUE);
		}
	}

	@Override
	public void onNext(List<ByteBuffer> items) {
		if (body.isDone()) {
			return;
		}
		for (ByteBuffer item : items) {
			received += item.remaining();
			if (received > maxBytes) {
				subscription.cancel();
				body.completeExceptionally(new TooLargeException());
				return;
			}
			byte[] bytes = new byte[item.remaining()];
			item.get(bytes);
			buffer.writeBytes(bytes);
		}
	}

	@Override
	public void onError(Throwable failure) {
		body.completeExceptionally(failure);
	}

	@Override
	public void onComplete() {
		body.complete(buffer.toByteArray());
	}

}
