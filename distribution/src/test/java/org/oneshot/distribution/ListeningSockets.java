package org.oneshot.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The sockets this process listens on (TCP LISTEN, bound UDP), read from Linux's /proc. */
final class ListeningSockets {
  private ListeningSockets() {}

  static List<String> ofThisProcess() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    List<String> listening = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
      Path file = Path.of("/proc/self/net", table);
      if (!Files.isReadable(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
        boolean listens = table.startsWith("tcp") ? f[3].equals("0A") : f[3].equals("07");
        if (listens && inodes.contains(f[9])) {
          listening.add(table + " " + f[1]);
        }
      }
    }
    return listening;
  }
}
