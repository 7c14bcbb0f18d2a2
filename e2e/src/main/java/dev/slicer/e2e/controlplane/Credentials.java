package dev.slicer.e2e.controlplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The credentials one control plane is started with, all made fresh at start: the service-account signing key
 * pair (PKCS#8 / X.509 PEM files), and static bearer tokens for the admin (group system:masters) and for
 * kube-controller-manager (user system:kube-controller-manager, which the bootstrap RBAC policy authorizes).
 */
record Credentials(String adminToken, String controllerManagerToken, Path tokenFile, Path saKey, Path saPublicKey) {

    static Credentials create(Path dir) throws IOException {
        SecureRandom random = new SecureRandom();
        String admin = token(random);
        String kcm = token(random);
        Path tokens = dir.resolve("tokens.csv");
        // token,user,uid,"group1,group2" (kube-apiserver --token-auth-file)
        Files.writeString(
                tokens,
                admin + ",admin,admin-uid,\"system:masters\"\n" + kcm + ",system:kube-controller-manager,kcm-uid\n");
        KeyPair pair;
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048, random);
            pair = gen.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path key = dir.resolve("sa.key");
        Path pub = dir.resolve("sa.pub");
        Files.writeString(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        return new Credentials(admin, kcm, tokens, key, pub);
    }

    /** A kubeconfig for {@code server} that trusts the PEM {@code caPem} and sends {@code token}. */
    static String kubeconfig(String server, String caPem, String token) {
        String ca = Base64.getEncoder().encodeToString(caPem.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: slicer-e2e
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: user
                  user:
                    token: %s
                contexts:
                - name: slicer-e2e
                  context:
                    cluster: slicer-e2e
                    user: user
                current-context: slicer-e2e
                """
                .formatted(server, ca, token);
    }

    private static String token(SecureRandom random) {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
