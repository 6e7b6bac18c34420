package pomf.access.control;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** What an administrator's name and password must look like, and generated passwords for the first account. */
public final class Credentials {
    public static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 1024;
    // No look-alikes (0/O, 1/l/I): the generated password is read off a log by a human.
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {}

    /** Why the name cannot be used, or null when it can. */
    public static String usernameProblem(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            return "A user name is 1 to 64 letters, digits, dots, underscores, @ or hyphens.";
        }
        return null;
    }

    /** Why the password cannot be used, or null when it can. */
    public static String passwordProblem(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            return "A password has at least " + MIN_PASSWORD + " characters.";
        }
        if (password.length() > MAX_PASSWORD) {
            return "A password has at most " + MAX_PASSWORD + " characters.";
        }
        return null;
    }

    /** 20 characters from 57 symbols: about 117 bits. */
    public static String generatePassword() {
        StringBuilder password = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
