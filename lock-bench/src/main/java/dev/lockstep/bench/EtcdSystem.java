package dev.lockstep.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;

/**
 * etcd through jetcd's Lock and Lease clients: one jetcd {@link io.etcd.jetcd.Client} (one gRPC
 * channel) and one lease of 10 s, kept alive by jetcd, per benchmark client; the lease plays the
 * session. etcd's Lock service is its concurrency.Mutex run by the server: a key under the lock's
 * prefix with the lease, the oldest key holds it, the others watch their predecessor. In {@code
 * uncontended-shared} 16 threads share one jetcd client, its Lock and Lease clients and its lease.
 */
final class EtcdSystem implements LockSystem {
  private final String endpoint;

  EtcdSystem(String endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public Client connect() throws Exception {
    io.etcd.jetcd.Client etcd = io.etcd.jetcd.Client.builder().endpoints(endpoint).build();
    long lease = etcd.getLeaseClient().grant(10).get().getID();
    CloseableClient keepAlive =
        etcd.getLeaseClient()
            .keepAlive(
                lease,
                new StreamObserver<LeaseKeepAliveResponse>() {
                  @Override
                  public void onNext(LeaseKeepAliveResponse value) {}

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    return new Client() {
      @Override
      public Held acquire(String lock) throws Exception {
        ByteSequence key =
            etcd.getLockClient()
                .lock(ByteSequence.from(lock, StandardCharsets.UTF_8), lease)
                .get()
                .getKey();
        return () -> etcd.getLockClient().unlock(key).get();
      }

      @Override
      public void close() throws Exception {
        keepAlive.close();
        etcd.getLeaseClient().revoke(lease).get();
        etcd.close();
      }
    };
  }
}
