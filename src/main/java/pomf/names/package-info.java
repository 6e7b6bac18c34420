/** What a stored file's name looks like ({@code abc123.mp4}), for every part that takes one from a request. */
package pomf.names;
