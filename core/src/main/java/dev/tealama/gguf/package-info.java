/**
 * GGUF, llama.cpp's model file format (versions 2 and 3, little-endian).
 *
 * <ul>
 *   <li>{@link dev.tealama.gguf.GgufFile#read(dev.tealama.bytes.ByteSource)} parses and checks a file's header:
 *       its {@link dev.tealama.gguf.GgufMetadata metadata} (key/value pairs of
 *       {@link dev.tealama.gguf.MetadataValue}s, typed by {@link dev.tealama.gguf.ValueType}) and its table of
 *       {@link dev.tealama.gguf.TensorInfo}s. Tensor data stays in the byte source.</li>
 *   <li>{@link dev.tealama.gguf.GgufWriter} writes files (for {@code tealama quantize} and tests), streaming
 *       tensor data from {@link dev.tealama.gguf.TensorData}.</li>
 *   <li>{@link dev.tealama.gguf.MetadataText} renders values for people and as JSON.</li>
 * </ul>
 *
 * <p>Files are untrusted input: every problem is a {@link dev.tealama.gguf.GgufFormatException} that says what and
 * where. The format's reference is llama.cpp's {@code ggml/src/gguf.cpp} and its Python package gguf-py; the tests
 * compare against gguf-py's reader and writer.
 */
package dev.tealama.gguf;
