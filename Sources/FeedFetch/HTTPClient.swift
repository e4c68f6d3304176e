import CCurl
import Foundation

/// The one HTTP client of feedd: libcurl, blocking transfers run on Dispatch
/// threads so they never occupy the (small) cooperative pool.
public final class HTTPClient: Sendable {
    public let settings: FetchSettings
    private let pool: CurlHandlePool
    private let queue = DispatchQueue(label: "feedd.fetch", attributes: .concurrent)

    public init(settings: FetchSettings, poolCapacity: Int = 16) {
        self.settings = settings
        self.pool = CurlHandlePool(capacity: poolCapacity)
    }

    /// GETs `request.url`. A non-2xx status other than 304 is an error; a 304
    /// comes back as a response with `isNotModified` and no body.
    public func fetch(_ request: FetchRequest) async throws(FetchError) -> FetchResponse {
        let transfer = Transfer(limit: settings.maxBody)
        let result: Result<FetchResponse, FetchError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                queue.async { [self] in
                    continuation.resume(returning: perform(request, transfer))
                }
            }
        } onCancel: {
            transfer.cancelled.store(true, ordering: .relaxed)
        }
        return try result.get()
    }

    private func perform(_ request: FetchRequest, _ transfer: Transfer) -> Result<FetchResponse, FetchError> {
        guard let handle = pool.checkOut() else {
            return .failure(.transport(url: request.url, message: "curl_easy_init failed"))
        }
        defer { pool.checkIn(handle) }
        let url = request.url

        handle.set(CURLOPT_URL, url)
        handle.set(CURLOPT_NOSIGNAL, 1)
        handle.set(CURLOPT_FOLLOWLOCATION, 1)
        handle.set(CURLOPT_MAXREDIRS, settings.maxRedirects)
        // file:// is allowed when configured, never as a redirect target.
        handle.set(CURLOPT_PROTOCOLS_STR, "http,https,file")
        handle.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        handle.set(CURLOPT_ACCEPT_ENCODING, "") // every encoding this libcurl decodes: gzip, deflate, br, zstd
        handle.set(CURLOPT_USERAGENT, request.options.userAgent ?? settings.userAgent)
        if let proxy = request.options.proxy { handle.set(CURLOPT_PROXY, proxy) }
        handle.set(CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout / .milliseconds(1)))
        handle.set(CURLOPT_TIMEOUT_MS, Int(settings.timeout / .milliseconds(1)))
        handle.set(CURLOPT_MAXFILESIZE, settings.maxBody) // refuses early when Content-Length says so

        var headers: UnsafeMutablePointer<curl_slist>?
        if let etag = request.conditional?.etag { headers = curl_slist_append(headers, "If-None-Match: \(etag)") }
        if let lm = request.conditional?.lastModified { headers = curl_slist_append(headers, "If-Modified-Since: \(lm)") }
        for header in request.options.headers { headers = curl_slist_append(headers, "\(header.name): \(header.value)") }
        defer { curl_slist_free_all(headers) }
        if headers != nil { _ = feedd_curl_set_slist(handle.raw, CURLOPT_HTTPHEADER, headers) }

        if let form = request.formBody {
            handle.set(CURLOPT_COPYPOSTFIELDS, form) // copied: the Swift string need not outlive the call
        }

        let context = Unmanaged.passUnretained(transfer).toOpaque()
        _ = feedd_curl_set_data_callback(handle.raw, CURLOPT_WRITEFUNCTION, writeBody)
        _ = feedd_curl_set_pointer(handle.raw, CURLOPT_WRITEDATA, context)
        _ = feedd_curl_set_data_callback(handle.raw, CURLOPT_HEADERFUNCTION, writeHeader)
        _ = feedd_curl_set_pointer(handle.raw, CURLOPT_HEADERDATA, context)
        _ = feedd_curl_set_xferinfo_callback(handle.raw, checkCancelled)
        _ = feedd_curl_set_pointer(handle.raw, CURLOPT_XFERINFODATA, context)
        handle.set(CURLOPT_NOPROGRESS, 0)

        let code = withExtendedLifetime(transfer) { curl_easy_perform(handle.raw) }
        return response(code: code, handle: handle, transfer: transfer, url: url)
    }

    private func response(code: CURLcode, handle: CurlHandle, transfer: Transfer, url: String) -> Result<FetchResponse, FetchError> {
        if transfer.exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(.tooLarge(url: url, limit: settings.maxBody))
        }
        switch code {
        case CURLE_OK: break
        case CURLE_ABORTED_BY_CALLBACK: return .failure(.cancelled(url: url))
        case CURLE_OPERATION_TIMEDOUT: return .failure(.timedOut(url: url, after: settings.timeout))
        default:
            let message = String(cString: curl_easy_strerror(code))
            return .failure(.transport(url: url, message: message))
        }
        let finalURL = handle.getString(CURLINFO_EFFECTIVE_URL) ?? url
        var status = handle.getLong(CURLINFO_RESPONSE_CODE)
        if status == 0 { status = 200 } // file:// has no status
        let headers = transfer.headers
        if status == 304 {
            return .success(FetchResponse(url: finalURL, status: 304, headers: headers, body: []))
        }
        guard (200..<300).contains(status) else {
            return .failure(.status(url: url, code: status, retryAfter: headers["retry-after"]))
        }
        return .success(FetchResponse(url: finalURL, status: status, headers: headers, body: transfer.body))
    }
}
