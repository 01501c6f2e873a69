package org.flinkconnectors.odps.sink;

import org.apache.flink.api.connector.sink2.Committer;

/** Records what the committer signalled for one committable. */
final class RecordedCommitRequest implements Committer.CommitRequest<OdpsCommittable> {
    final OdpsCommittable committable;
    String outcome = "committed";
    Throwable failure;

    RecordedCommitRequest(OdpsCommittable committable) {
        this.committable = committable;
    }

    @Override
    public OdpsCommittable getCommittable() {
        return committable;
    }

    @Override
    public int getNumberOfRetries() {
        return 0;
    }

    @Override
    public void signalFailedWithKnownReason(Throwable t) {
        outcome = "failed";
        failure = t;
    }

    @Override
    public void signalFailedWithUnknownReason(Throwable t) {
        outcome = "failed";
        failure = t;
    }

    @Override
    public void retryLater() {
        outcome = "retry later";
    }

    @Override
    public void updateAndRetryLater(OdpsCommittable committable) {
        outcome = "retry later";
    }

    @Override
    public void signalAlreadyCommitted() {
        outcome = "already committed";
    }
}
