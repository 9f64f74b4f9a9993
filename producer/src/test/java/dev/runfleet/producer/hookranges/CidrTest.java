package dev.runfleet.producer.hookranges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  private static boolean in(String cidr, String address) {
    return Cidr.parse(cidr).contains(Cidr.address(address).orElseThrow());
  }

  @Test
  void contains_ipv4_firstAndLastAddressInside_neighboursOutside() {
    assertThat(in("192.30.252.0/22", "192.30.252.0")).isTrue();
    assertThat(in("192.30.252.0/22", "192.30.255.255")).isTrue();
    assertThat(in("192.30.252.0/22", "192.30.251.255")).isFalse();
    assertThat(in("192.30.252.0/22", "192.31.0.0")).isFalse();
  }

  @Test
  void contains_ipv4_prefixNotOnAByteBoundary() {
    assertThat(in("140.82.112.0/20", "140.82.127.255")).isTrue();
    assertThat(in("140.82.112.0/20", "140.82.128.0")).isFalse();
    assertThat(in("10.0.0.128/25", "10.0.0.127")).isFalse();
    assertThat(in("10.0.0.128/25", "10.0.0.128")).isTrue();
  }

  @Test
  void contains_ipv6_firstAndLastAddressInside_neighboursOutside() {
    assertThat(in("2a0a:a440::/29", "2a0a:a440::")).isTrue();
    assertThat(in("2a0a:a440::/29", "2a0a:a447:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
    assertThat(in("2a0a:a440::/29", "2a0a:a43f:ffff:ffff:ffff:ffff:ffff:ffff")).isFalse();
    assertThat(in("2a0a:a440::/29", "2a0a:a448::")).isFalse();
  }

  @Test
  void contains_slash32_isExactlyOneIpv4Address() {
    assertThat(in("203.0.113.7/32", "203.0.113.7")).isTrue();
    assertThat(in("203.0.113.7/32", "203.0.113.6")).isFalse();
    assertThat(in("203.0.113.7/32", "203.0.113.8")).isFalse();
  }

  @Test
  void contains_slash128_isExactlyOneIpv6Address() {
    assertThat(in("2001:db8::1/128", "2001:db8::1")).isTrue();
    assertThat(in("2001:db8::1/128", "2001:db8::2")).isFalse();
    assertThat(in("2001:db8::1/128", "2001:db8::")).isFalse();
  }

  @Test
  void contains_slash0_isEveryAddressOfItsFamilyOnly() {
    assertThat(in("0.0.0.0/0", "0.0.0.0")).isTrue();
    assertThat(in("0.0.0.0/0", "255.255.255.255")).isTrue();
    assertThat(in("0.0.0.0/0", "2001:db8::1")).isFalse();
    assertThat(in("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
    assertThat(in("::/0", "192.0.2.1")).isFalse();
  }

  @Test
  void contains_ipv4MappedIpv6Address_isTheIpv4AddressItMaps() throws Exception {
    assertThat(in("192.30.252.0/22", "::ffff:192.30.252.1")).isTrue();
    assertThat(in("192.30.252.0/22", "::ffff:192.30.251.255")).isFalse();
    assertThat(in("2a0a:a440::/29", "::ffff:192.30.252.1")).isFalse();
    // Also when the address object itself is IPv6 (a 16-byte form, as a dual-stack socket gives).
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 192;
    mapped[13] = 30;
    mapped[14] = (byte) 252;
    mapped[15] = 9;
    InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
    assertThat(Cidr.parse("192.30.252.0/22").contains(v6)).isTrue();
  }

  @Test
  void parse_ipv4MappedBlock_coversTheIpv4Block() {
    assertThat(Cidr.parse("::ffff:192.30.252.0/118")).isEqualTo(Cidr.parse("192.30.252.0/22"));
    assertThat(in("::ffff:192.30.252.0/118", "192.30.255.255")).isTrue();
    assertThatThrownBy(() -> Cidr.parse("::ffff:0.0.0.0/95"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "192.30.252.0",
        "192.30.252.0/",
        "/22",
        "192.30.252.0/33",
        "2a0a:a440::/129",
        "192.30.252.1/22",
        "2a0a:a441::/29",
        "256.0.0.0/8",
        "1.2.3/24",
        "1.2.3.4.5/32",
        "01.2.3.4/32",
        "192.30.252.0/+22",
        "192.30.252.0/22 ",
        "github.com/22",
        "fe80::1%eth0/128",
        "2a0a:::a440/29",
        "0x7f.0.0.1/32"
      })
  void parse_refusesWhatIsNoExactCidrBlock(String text) {
    if (text.endsWith(" ")) {
      // Surrounding blanks are trimmed, as in a comma-separated list: this one is valid.
      assertThat(Cidr.parse(text)).hasToString("192.30.252.0/22");
      return;
    }
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void address_isALiteralOnly_neverALookup() {
    assertThat(Cidr.address("localhost")).isEmpty();
    assertThat(Cidr.address("abc")).isEmpty();
    assertThat(Cidr.address(null)).isEmpty();
    assertThat(Cidr.address("192.0.2.1")).isPresent();
    assertThat(Cidr.address("2001:db8::1")).isPresent();
  }
}
