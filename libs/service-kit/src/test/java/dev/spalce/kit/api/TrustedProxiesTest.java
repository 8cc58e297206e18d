package dev.spalce.kit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private final TrustedProxies proxies =
            new TrustedProxies(Optional.of(List.of("10.0.0.0/8", "192.0.2.10", "fd00::/8")));

    @Test
    void clientAddress_fromAnUntrustedPeer_isThePeerWhateverTheHeaderSays() {
        assertThat(proxies.clientAddress("203.0.113.5", List.of("198.51.100.1")))
                .isEqualTo("203.0.113.5");
    }

    @Test
    void clientAddress_fromATrustedProxy_isTheRightMostUntrustedHop() {
        // The client wrote "6.6.6.6" itself; the load balancer appended the address it saw.
        assertThat(proxies.clientAddress("10.1.2.3", List.of("6.6.6.6, 198.51.100.7")))
                .isEqualTo("198.51.100.7");
        assertThat(proxies.clientAddress("10.1.2.3", List.of("198.51.100.7", "192.0.2.10")))
                .isEqualTo("198.51.100.7");
        assertThat(proxies.clientAddress("fd00::1", List.of("2001:db8::9"))).isEqualTo("2001:db8::9");
    }

    @Test
    void clientAddress_withGarbageInTheChain_stopsThere() {
        assertThat(proxies.clientAddress("10.1.2.3", List.of("198.51.100.7, evil.example")))
                .isEqualTo("10.1.2.3");
        assertThat(proxies.clientAddress("10.1.2.3", List.of())).isEqualTo("10.1.2.3");
    }

    @Test
    void noList_trustsNoOne() {
        assertThat(new TrustedProxies(Optional.empty()).clientAddress("127.0.0.1", List.of("198.51.100.7")))
                .isEqualTo("127.0.0.1");
    }

    @Test
    void clientAddress_ofThisProcessRelayingToItself_isTheAddressItVouchesFor() {
        TrustedProxies trustingNoOne = new TrustedProxies(Optional.empty());

        assertThat(trustingNoOne.clientAddress("127.0.0.1", List.of("198.51.100.7"), trustingNoOne.selfRelayProof()))
                .isEqualTo("198.51.100.7");
        assertThat(trustingNoOne.clientAddress("::1", List.of("2001:db8::9"), trustingNoOne.selfRelayProof()))
                .isEqualTo("2001:db8::9");
    }

    @Test
    void clientAddress_withAWrongOrForeignSelfRelayProof_isThePeer() {
        TrustedProxies trustingNoOne = new TrustedProxies(Optional.empty());
        String anotherProcesssProof = new TrustedProxies(Optional.empty()).selfRelayProof();

        assertThat(trustingNoOne.selfRelayProof()).isNotEqualTo(anotherProcesssProof);
        assertThat(trustingNoOne.clientAddress("127.0.0.1", List.of("198.51.100.7"), anotherProcesssProof))
                .isEqualTo("127.0.0.1");
        assertThat(trustingNoOne.clientAddress("127.0.0.1", List.of("198.51.100.7"), ""))
                .isEqualTo("127.0.0.1");
    }

    @Test
    void clientAddress_withTheSelfRelayProofFromAnotherHost_isThePeer() {
        TrustedProxies trustingNoOne = new TrustedProxies(Optional.empty());

        // The proof never leaves the process; were it to leak, it still counts only on a loopback connection.
        assertThat(trustingNoOne.clientAddress("203.0.113.5", List.of("198.51.100.7"), trustingNoOne.selfRelayProof()))
                .isEqualTo("203.0.113.5");
    }

    @Test
    void clientAddress_ofASelfRelayNamingNoSingleAddress_fallsBackToTheTrustedProxies() {
        TrustedProxies trustingNoOne = new TrustedProxies(Optional.empty());
        String proof = trustingNoOne.selfRelayProof();

        assertThat(trustingNoOne.clientAddress("127.0.0.1", List.of("198.51.100.7", "198.51.100.8"), proof))
                .isEqualTo("127.0.0.1");
        assertThat(trustingNoOne.clientAddress("127.0.0.1", List.of("evil.example"), proof))
                .isEqualTo("127.0.0.1");
    }

    @Test
    void badEntry_stopsStartUp() {
        assertThatThrownBy(() -> new TrustedProxies(Optional.of(List.of("gateway.internal"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway.internal");
    }
}
