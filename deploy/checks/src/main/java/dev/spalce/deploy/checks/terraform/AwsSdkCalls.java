package dev.spalce.deploy.checks.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The IAM actions a service's code needs, read from its calls of the AWS SDK v2 clients: each variable or
 * field declared as an {@code S3Client}/{@code KmsClient} (sync or async), and each method called on it,
 * mapped to the IAM action that authorizes it. A method without a mapping is reported as an action of its
 * own name ({@code s3:NewMethod}), so that a new call fails the comparison until its grant is added.
 */
public final class AwsSdkCalls {

    private static final Map<String, String> CLIENT_PREFIX =
            Map.of("S3Client", "s3", "S3AsyncClient", "s3", "KmsClient", "kms", "KmsAsyncClient", "kms");

    /** SDK methods whose IAM action is not their own name (the service authorization reference). */
    private static final Map<String, Set<String>> ACTIONS = Map.ofEntries(
            Map.entry("s3:createMultipartUpload", Set.of("s3:PutObject")),
            Map.entry("s3:uploadPart", Set.of("s3:PutObject")),
            Map.entry("s3:completeMultipartUpload", Set.of("s3:PutObject")),
            Map.entry("s3:headObject", Set.of("s3:GetObject")),
            Map.entry("s3:getObjectAsBytes", Set.of("s3:GetObject")),
            Map.entry("s3:listObjectsV2Paginator", Set.of("s3:ListBucket")),
            Map.entry("s3:listObjectsV2", Set.of("s3:ListBucket")),
            Map.entry("s3:listObjects", Set.of("s3:ListBucket")),
            Map.entry("s3:deleteObjects", Set.of("s3:DeleteObject")),
            Map.entry("s3:putObjectRetention", Set.of("s3:PutObjectRetention")),
            Map.entry("kms:reEncrypt", Set.of("kms:ReEncryptFrom", "kms:ReEncryptTo")));

    /** Not API calls: lifecycle and accessors of the client objects. */
    private static final Set<String> NOT_CALLS = Set.of(
            "close",
            "serviceName",
            "serviceClientConfiguration",
            "utilities",
            "waiter",
            "presigner",
            "builder",
            "create");

    private static final Pattern DECLARATION = Pattern.compile(
            "\\b(S3Client|S3AsyncClient|KmsClient|KmsAsyncClient)\\s+([a-zA-Z_][a-zA-Z0-9_]*)\\s*[;=),]");

    private AwsSdkCalls() {}

    /** The IAM actions the main sources under {@code moduleDir} call. */
    public static Set<String> actions(Path moduleDir) {
        Set<String> actions = new TreeSet<>();
        Path sources = moduleDir.resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return actions;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file :
                    files.filter(path -> path.toString().endsWith(".java")).toList()) {
                actions.addAll(actionsIn(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return actions;
    }

    /** The IAM actions one Java source calls. */
    public static Set<String> actionsIn(String source) {
        Set<String> actions = new TreeSet<>();
        Matcher declared = DECLARATION.matcher(source);
        while (declared.find()) {
            String prefix = CLIENT_PREFIX.get(declared.group(1));
            Matcher called = Pattern.compile(
                            "\\b" + Pattern.quote(declared.group(2)) + "\\s*\\.\\s*([a-z][a-zA-Z0-9]*)\\s*\\(")
                    .matcher(source);
            while (called.find()) {
                String method = called.group(1);
                if (!NOT_CALLS.contains(method)) {
                    actions.addAll(ACTIONS.getOrDefault(
                            prefix + ":" + method,
                            Set.of(prefix + ":" + Character.toUpperCase(method.charAt(0)) + method.substring(1))));
                }
            }
        }
        return actions;
    }
}
