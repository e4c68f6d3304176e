import FeedConfig
import FeedRender
import Logging

/// Before a command writes anything: the temp files a killed run left in the
/// folders feedd writes (the output, the Jekyll posts and archive) are removed.
/// A folder that cannot be cleaned is logged; the command goes on (its own
/// writes use fresh names).
func removeLeftoverTempFiles(_ config: Config, logger: Logger) {
    let folders = [config.output, config.jekyll?.posts, config.jekyll?.archive].compactMap { $0 }
    for folder in folders {
        do {
            for path in try AtomicFile.removeLeftovers(in: folder) {
                logger.notice("removed \(path), left by a run that was stopped while writing")
            }
        } catch {
            logger.warning("\(error)")
        }
    }
}
