package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineSplitterTest {
  /** Feeds the bytes one at a time, the hardest way to cut a stream, and returns the messages. */
  static List<String> split(int room, byte[] input) {
    List<String> out = new ArrayList<>();
    LineSplitter s = new LineSplitter(room, out::add);
    for (byte b : input) s.feed(new byte[] {b}, 0, 1);
    s.finish();
    return out;
  }

  static List<String> split(int room, String latin1) {
    return split(room, latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof String s) out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      else if (p instanceof Integer i) out.write(i);
      else throw new IllegalArgumentException(p.toString());
    }
    return out.toByteArray();
  }

  private static final Pattern MARK = Pattern.compile("^\\[(\\d+)/(\\+|\\d+)\\] ");

  /**
   * Reads messages back into the lines written, as a person or a script would: a marked message
   * is one part of a line, the others are whole lines. Checks the marks count up and end.
   */
  static List<byte[]> readBack(List<String> messages) {
    List<byte[]> lines = new ArrayList<>();
    ByteArrayOutputStream line = null;
    int expect = 1;
    for (String m : messages) {
      Matcher k = MARK.matcher(m);
      if (!k.find()) {
        assertThat(line).as("a whole line inside a cut one: %s", m).isNull();
        lines.add(Escaper.unescape(m));
        continue;
      }
      assertThat(Integer.parseInt(k.group(1))).isEqualTo(expect);
      if (expect == 1) line = new ByteArrayOutputStream();
      line.writeBytes(Escaper.unescape(m.substring(k.end())));
      if (k.group(2).equals("+")) {
        expect++;
      } else {
        assertThat(k.group(2)).isEqualTo(k.group(1));
        lines.add(line.toByteArray());
        line = null;
        expect = 1;
      }
    }
    assertThat(line).as("a cut line never ended").isNull();
    return lines;
  }

  /** The lines of {@code input} as the splitter must see them: cut at LF, one CR before it dropped. */
  static List<byte[]> expectedLines(byte[] input) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= input.length; i++) {
      if (i == input.length && start == i) break;
      if (i == input.length || input[i] == '\n') {
        int end = i > start && input[i - 1] == '\r' ? i - 1 : i;
        lines.add(Arrays.copyOfRange(input, start, end));
        start = i + 1;
      }
    }
    return lines;
  }

  static void assertFitsAndReadsBack(int room, byte[] input, List<String> messages) {
    for (String m : messages) {
      assertThat(m.getBytes(StandardCharsets.UTF_8).length).as(m).isLessThanOrEqualTo(room);
      if (MARK.matcher(m).find()) assertThat(MARK.matcher(m).replaceFirst("")).as("an empty part").isNotEmpty();
    }
    List<byte[]> got = readBack(messages);
    List<byte[]> want = expectedLines(input);
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < want.size(); i++) assertThat(got.get(i)).as("line %d", i).isEqualTo(want.get(i));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'a\\nb\\n'           | a,b",
        "'a\\r\\nb\\r\\n'     | a,b",
        "'a\\n\\nb\\n'        | a,,b",
        "'last'               | last",
        "'a\\nlast'           | a,last",
        "'\\n'                | ''",
        "'cr\\rmid\\n'        | cr\\x0dmid",
        "'two\\r\\r\\n'       | two\\x0d",
        "'cr at end\\r'       | cr at end",
      })
  void splitsOnLineFeedsAndDropsOneCarriageReturn(String input, String expected) {
    String in = input.replace("\\n", "\n").replace("\\r", "\r");
    List<String> want = new ArrayList<>(List.of(expected.split(",", -1)));
    assertThat(split(100, in)).isEqualTo(want);
  }

  @Test
  void nothingInNothingOut() {
    assertThat(split(40, "")).isEmpty();
  }

  /** Byte-exact table: input, room, the messages it must give. */
  @Test
  void longLinesComeInMarkedPartsThatEachFitTheRoom() {
    String x40 = "x".repeat(40);
    // Exactly the room: one message, no mark; with CRLF too, and no empty line after it.
    assertThat(split(40, x40 + "\n")).containsExactly(x40);
    assertThat(split(40, x40 + "\r\n")).containsExactly(x40);
    assertThat(split(40, x40 + "\r\n" + "next\n")).containsExactly(x40, "next");
    assertThat(split(40, x40)).containsExactly(x40);
    // One byte more: two parts; the first holds 40 - 6 bytes after "[1/+] ".
    assertThat(split(40, x40 + "y\n")).containsExactly("[1/+] " + "x".repeat(34), "[2/2] xxxxxxy");
    assertThat(split(40, x40 + "y\r\n")).containsExactly("[1/+] " + "x".repeat(34), "[2/2] xxxxxxy");
    // A part of a line never comes out empty, whatever stands at the cut.
    assertThat(split(40, "x".repeat(34) + "\r\n")).containsExactly("x".repeat(34));
  }

  @Test
  void escapesAreNeverCutAndCountInTheRoom() {
    // 30 plain bytes then NULs (4 bytes each once escaped): "\x00" never splits.
    byte[] in = bytes("a".repeat(30), 0, 0, 0, "\n");
    List<String> out = split(40, in);
    assertThat(out).containsExactly("[1/+] " + "a".repeat(30) + "\\x00", "[2/2] \\x00\\x00");
    assertFitsAndReadsBack(40, in, out);
    // Backslashes are doubled, and a pair is never cut.
    byte[] bs = bytes("b".repeat(32), "\\".repeat(5), "\n");
    assertThat(split(40, bs)).containsExactly("[1/+] " + "b".repeat(32) + "\\".repeat(2), "[2/2] " + "\\".repeat(8));
    assertFitsAndReadsBack(40, bs, split(40, bs));
  }

  @Test
  void utf8CharactersAreNeverCut() {
    byte[] in = bytes("c".repeat(32), "€€€", "\n"); // 3 bytes each
    List<String> out = split(40, in);
    assertThat(out).containsExactly("[1/+] " + "c".repeat(32), "[2/2] €€€");
    assertFitsAndReadsBack(40, in, out);
    byte[] emoji = bytes("d".repeat(31), "😀😀😀", "\n"); // 4 bytes each
    assertThat(split(40, emoji)).containsExactly("[1/+] " + "d".repeat(31), "[2/2] 😀😀😀");
  }

  @Test
  void invalidUtf8IsEscapedByteByByteAndNeverHeldBackForever() {
    byte[] in = bytes(0xe2, 0xe2, 0xe2, 0xe2, 0xe2, "\n", 0xe2, 0x82, "\n", 0xf0, 0x9f, 0x98);
    List<String> out = split(40, in);
    assertThat(out).containsExactly("\\xe2\\xe2\\xe2\\xe2\\xe2", "\\xe2\\x82", "\\xf0\\x9f\\x98");
    assertFitsAndReadsBack(40, in, out);
  }

  @Test
  void aLineThatLooksLikeAMarkHasItsBracketEscaped() {
    assertThat(split(40, "[1/+] not a part\n[2/2] neither\n[INFO] fine\n[3/x] fine\n"))
        .containsExactly("\\x5b1/+] not a part", "\\x5b2/2] neither", "[INFO] fine", "[3/x] fine");
    byte[] cut = bytes("[1/2] ", "z".repeat(40), "\n");
    List<String> out = split(40, cut);
    assertThat(out.getFirst()).startsWith("[1/+] \\x5b1/2] ");
    assertFitsAndReadsBack(40, cut, out);
  }

  @Test
  void partNumbersGrowPastNine() {
    byte[] in = bytes("e".repeat(400), "\n");
    List<String> out = split(40, in);
    assertThat(out).hasSize(12);
    assertThat(out.get(9)).startsWith("[10/+] ");
    assertThat(out.getLast()).startsWith("[12/12] ");
    assertFitsAndReadsBack(40, in, out);
  }

  @Test
  void chunksOfAnySizeGiveTheSameMessages() {
    byte[] b = bytes("first line\r\nsecond\n\n", "third without end ", "é".repeat(30));
    List<String> whole = new ArrayList<>();
    LineSplitter s = new LineSplitter(40, whole::add);
    s.feed(b, 0, b.length);
    s.finish();
    assertThat(whole).isEqualTo(split(40, b));
    assertFitsAndReadsBack(40, b, whole);
  }

  /**
   * Runs of plain ASCII are taken at once when a read holds them and byte by byte when it does not
   * (one byte a read): the messages, cuts included, must be the same either way.
   */
  @Test
  void aPlainRunTakenAtOnceIsCutWhereByteByByteItWouldBe() {
    Random random = new Random(7);
    String[] pieces = {"plain text ", "x".repeat(90), "[1/2+] ", "\\", "é", "\r", "\n", "\t", "[", "€uro "};
    for (int round = 0; round < 300; round++) {
      int room = Parts.MIN_ROOM + random.nextInt(80);
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(40); k > 0; k--) text.append(pieces[random.nextInt(pieces.length)]);
      byte[] in = text.toString().getBytes(StandardCharsets.UTF_8);
      List<String> whole = new ArrayList<>();
      LineSplitter s = new LineSplitter(room, whole::add);
      s.feed(in, 0, in.length);
      s.finish();
      List<String> bytewise = new ArrayList<>();
      LineSplitter t = new LineSplitter(room, bytewise::add);
      for (int i = 0; i < in.length; i++) t.feed(in, i, 1);
      t.finish();
      assertThat(whole).as("room %d: %s", room, text).isEqualTo(bytewise);
      assertFitsAndReadsBack(room, in, whole);
    }
  }

  /** Random bytes, rich in the awkward ones, in random chunks: every line reads back exactly. */
  @Test
  void everyLineReadsBackExactly() {
    byte[] alphabet = bytes("a\\[]/+1 ", 0, 0x7f, 13, 10, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xc2, 0x85, 0xff);
    Random random = new Random(12);
    for (int round = 0; round < 500; round++) {
      int room = 40 + random.nextInt(60);
      byte[] in = new byte[random.nextInt(600)];
      for (int i = 0; i < in.length; i++) in[i] = alphabet[random.nextInt(alphabet.length)];
      List<String> out = new ArrayList<>();
      LineSplitter s = new LineSplitter(room, out::add);
      for (int i = 0; i < in.length; ) {
        int n = Math.min(in.length - i, 1 + random.nextInt(50));
        s.feed(in, i, n);
        i += n;
      }
      s.finish();
      assertFitsAndReadsBack(room, in, out);
    }
  }
}
