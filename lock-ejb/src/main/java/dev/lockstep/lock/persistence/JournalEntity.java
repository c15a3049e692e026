package dev.lockstep.lock.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One group commit's changes, as one row: the batch's net effect on the tables, encoded by {@link
 * JournalCodec}, and the revisions it covers. A checkpoint writes the records into the tables and
 * deletes them; what is left after a crash is replayed at start.
 */
@Entity
@Table(name = StoreTables.JOURNAL)
public class JournalEntity {
  /** The record's place in the journal: records are replayed in this order. */
  @Id
  @Column(name = "SEQ")
  long seq;

  /** The first revision of the batch's events; no event when it is past {@link #lastRevision}. */
  @Column(name = "FIRST_REVISION", nullable = false)
  long firstRevision;

  /** The counter after the batch. */
  @Column(name = "LAST_REVISION", nullable = false)
  long lastRevision;

  // BYTEA is PostgreSQL's unbounded binary type and one of H2's names for BINARY VARYING: without
  // it, JPA would make H2 a VARBINARY(255), too small for a batch of many operations.
  @Column(name = "CHANGES", nullable = false, columnDefinition = "BYTEA")
  byte[] changes;

  protected JournalEntity() {}

  JournalEntity(long seq, long firstRevision, long lastRevision, byte[] changes) {
    this.seq = seq;
    this.firstRevision = firstRevision;
    this.lastRevision = lastRevision;
    this.changes = changes;
  }
}
