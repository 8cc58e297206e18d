import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;

/**
 * Prints a new RSA-2048 signing key for the local OIDC server as a JSON string literal holding a JWK (the form
 * mock-oauth2-server's "initialKeys" takes). Run as a single-file program: java GenerateSigningJwk.java.
 * The key id names the moment it was made, so that a rotated key has a new kid. Local runtime only.
 */
public class GenerateSigningJwk {

    public static void main(String[] args) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) pair.getPrivate();
        String jwk = "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"local-" + Instant.now().getEpochSecond()
                + "\",\"n\":\"" + b64(pub.getModulus()) + "\",\"e\":\"" + b64(pub.getPublicExponent())
                + "\",\"d\":\"" + b64(key.getPrivateExponent()) + "\",\"p\":\"" + b64(key.getPrimeP())
                + "\",\"q\":\"" + b64(key.getPrimeQ()) + "\",\"dp\":\"" + b64(key.getPrimeExponentP())
                + "\",\"dq\":\"" + b64(key.getPrimeExponentQ()) + "\",\"qi\":\"" + b64(key.getCrtCoefficient()) + "\"}";
        System.out.println("\"" + jwk.replace("\"", "\\\"") + "\"");
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
    }
}
