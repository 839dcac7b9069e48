package dev.keel.examples;

/**
 * A problem with what the user gave (a file, a column, a model folder): the command line prints its
 * message as one line and exits with status 1, without a stack trace.
 */
public class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
