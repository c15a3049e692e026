package dev.lockstep.lock.persistence;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.LockDelay;
import dev.lockstep.lock.table.SessionSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A batch's net changes as the bytes of one journal record, and back. Binary and by hand, field by
 * field, rather than JSON through JSON-B: it is made on the commit path for every batch, and
 * binding by reflection is what the commit is meant to save. Times are kept to the millisecond, as
 * the tables keep them. The first byte is the format's version, so that a later format can still
 * read the records a crash left.
 */
final class JournalCodec {
  private static final int VERSION = 1;

  private JournalCodec() {}

  static byte[] encode(NetChanges net) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(net.counterBefore);
      out.writeLong(net.counter);
      out.writeInt(net.grantDeletes.size());
      for (NetChanges.GrantKey key : net.grantDeletes) {
        out.writeUTF(key.lock());
        out.writeUTF(key.session());
      }
      out.writeInt(net.sessionDeletes.size());
      for (String session : net.sessionDeletes) {
        out.writeUTF(session);
      }
      out.writeInt(net.sessionInserts.size());
      for (SessionSnapshot s : net.sessionInserts.values()) {
        out.writeUTF(s.id());
        writeOptional(out, s.name());
        out.writeLong(s.ttl().toMillis());
        out.writeLong(s.lockDelay().toMillis());
        byte[] hash = s.tokenHash();
        out.writeShort(hash.length);
        out.write(hash);
        out.writeLong(s.createdAt().toEpochMilli());
        out.writeLong(s.expiresAt().toEpochMilli());
      }
      out.writeInt(net.grantInserts.size());
      for (Grant g : net.grantInserts.values()) {
        out.writeUTF(g.lock().value());
        out.writeUTF(g.session());
        out.writeUTF(g.mode().wireName());
        writeOptional(out, g.owner());
        out.writeLong(g.fencingToken());
        out.writeLong(g.acquiredAt().toEpochMilli());
      }
      out.writeInt(net.events.size());
      for (LockEvent e : net.events) {
        out.writeLong(e.revision());
        out.writeUTF(e.kind().name());
        writeOptional(out, e.lock());
        writeOptional(out, e.session());
        writeOptional(out, e.mode());
        out.writeBoolean(e.fencingToken() != null);
        if (e.fencingToken() != null) {
          out.writeLong(e.fencingToken());
        }
        out.writeLong(e.at().toEpochMilli());
        writeOptional(out, e.owner());
      }
      out.writeInt(net.delays.size());
      for (LockDelay d : net.delays.values()) {
        out.writeUTF(d.lock().value());
        out.writeLong(d.until().toEpochMilli());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a journal record", e);
    }
    return bytes.toByteArray();
  }

  static NetChanges decode(byte[] record) {
    NetChanges net = new NetChanges();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalStateException("journal record of unknown format " + version);
      }
      net.counterBefore = in.readLong();
      net.counter = in.readLong();
      for (int i = in.readInt(); i > 0; i--) {
        net.grantDeletes.add(new NetChanges.GrantKey(in.readUTF(), in.readUTF()));
      }
      for (int i = in.readInt(); i > 0; i--) {
        net.sessionDeletes.add(in.readUTF());
      }
      for (int i = in.readInt(); i > 0; i--) {
        String id = in.readUTF();
        String name = readOptional(in);
        Duration ttl = Duration.ofMillis(in.readLong());
        Duration lockDelay = Duration.ofMillis(in.readLong());
        byte[] hash = new byte[in.readUnsignedShort()];
        in.readFully(hash);
        Instant createdAt = Instant.ofEpochMilli(in.readLong());
        Instant expiresAt = Instant.ofEpochMilli(in.readLong());
        net.sessionInserts.put(
            id,
            new SessionSnapshot(id, name, ttl, lockDelay, hash, createdAt, expiresAt, List.of()));
      }
      for (int i = in.readInt(); i > 0; i--) {
        LockName lock = new LockName(in.readUTF());
        String session = in.readUTF();
        String mode = in.readUTF();
        Grant grant =
            new Grant(
                lock,
                session,
                LockMode.fromWire(mode)
                    .orElseThrow(() -> new IllegalStateException("journal mode " + mode)),
                readOptional(in),
                in.readLong(),
                Instant.ofEpochMilli(in.readLong()));
        net.grantInserts.put(NetChanges.GrantKey.of(grant), grant);
      }
      for (int i = in.readInt(); i > 0; i--) {
        long revision = in.readLong();
        EventKind kind = EventKind.valueOf(in.readUTF());
        String lock = readOptional(in);
        String session = readOptional(in);
        String mode = readOptional(in);
        Long fencingToken = in.readBoolean() ? in.readLong() : null;
        Instant at = Instant.ofEpochMilli(in.readLong());
        net.events.add(
            new LockEvent(revision, kind, lock, session, mode, fencingToken, at, readOptional(in)));
      }
      for (int i = in.readInt(); i > 0; i--) {
        LockName lock = new LockName(in.readUTF());
        LockDelay delay = new LockDelay(lock, Instant.ofEpochMilli(in.readLong()));
        net.delays.put(lock.value(), delay);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a journal record", e);
    }
    return net;
  }

  private static void writeOptional(DataOutputStream out, String text) throws IOException {
    out.writeBoolean(text != null);
    if (text != null) {
      out.writeUTF(text);
    }
  }

  private static String readOptional(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
