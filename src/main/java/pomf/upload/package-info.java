/** Pomf-compatible uploads: streaming multipart, naming and filtering rules, the five output formats, deletion links. */
package pomf.upload;
