package dev.spalce.keyproviders.pkcs11;

import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.InsecureKeyAccess;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.crypto.SecretBytes;
import dev.spalce.keyproviders.WrapContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Run in a separate JVM by {@link Pkcs11KeyProviderTest}: opens the token afresh, unwraps one DEK and prints it
 * (base64). Arguments: library, slot, kms key id, wrapped DEK (base64), tenant, record type, record id; the PIN
 * on standard input.
 */
public final class Pkcs11UnwrapMain {

    private Pkcs11UnwrapMain() {}

    public static void main(String[] args) throws Exception {
        char[] pin = new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                .trim()
                .toCharArray();
        try (Pkcs11KeyProvider provider = Pkcs11KeyProvider.open(
                        new Pkcs11KeyProvider.Token(
                                Path.of(args[0]), OptionalLong.of(Long.parseLong(args[1])), OptionalInt.empty()),
                        pin);
                DataKey dek = provider.unwrap(
                        KmsKeyId.parse(args[2]),
                        Base64.getDecoder().decode(args[3]),
                        WrapContext.of(args[4], args[5], args[6]));
                SecretBytes plaintext = dek.plaintext(InsecureKeyAccess.get())) {
            System.out.println(Base64.getEncoder().encodeToString(plaintext.toByteArray(InsecureKeyAccess.get())));
        }
    }
}
