package dev.sympaappliance.e2e.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The records `sympa-appliance-dns` prints, read as a zone file (dnsjava). */
public final class DnsZone {
  private DnsZone() {}

  /**
   * The records of a zone-file text, parsed by dnsjava (fails on anything that is not zone-file
   * syntax).
   */
  public static List<Record> zone(String text) throws IOException {
    List<Record> records = new ArrayList<>();
    try (Master master =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    }
    return records;
  }

  /** The character-strings of each TXT record at {@code name}. */
  public static List<List<String>> txt(List<Record> zone, String name) throws IOException {
    Name wanted = Name.fromString(name + ".");
    return zone.stream()
        .filter(r -> r.getType() == Type.TXT && r.getName().equals(wanted))
        .map(r -> ((TXTRecord) r).getStrings())
        .toList();
  }
}
