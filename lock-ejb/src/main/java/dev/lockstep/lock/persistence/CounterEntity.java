package dev.lockstep.lock.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The last value handed out by the fencing/revision counter: a single row. */
@Entity
@Table(name = StoreTables.COUNTER)
public class CounterEntity {
  static final int ONLY_ROW = 1;

  @Id
  @Column(name = "ID")
  int id;

  @Column(name = "LAST_VALUE", nullable = false)
  long lastValue;

  protected CounterEntity() {}

  CounterEntity(long lastValue) {
    this.id = ONLY_ROW;
    this.lastValue = lastValue;
  }
}
