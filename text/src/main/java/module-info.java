/** keel text: tokenization, vocabularies, n-grams, hashing, features and labeled-text readers. */
module dev.keel.text {
    requires transitive dev.keel.core;

    exports dev.keel.text;
    exports dev.keel.text.data;
}
