import FeedModel
import Foundation
import Testing

@Suite("civil time by arithmetic agrees with Foundation's Calendar")
struct CivilTimeTests {
    @Test("fields of many moments at several offsets", arguments: [0, 28_800, -18_000, 19_800, 45_900])
    func agrees(offset: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset)!
        var generator = SystemRandomNumberGenerator()
        let samples = [-2_208_988_800.0, -86_401, -1, 0, 951_782_400, 1_640_761_560, 4_102_444_800]
            + (0..<2000).map { _ in Double(Int64.random(in: -4_000_000_000...8_000_000_000, using: &generator)) }
        for t in samples {
            let date = Date(timeIntervalSince1970: t)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
            let civil = CivilTime(date, offset: offset)
            let mine: [Int] = [civil.year, civil.month, civil.day, civil.hour, civil.minute, civil.second, civil.weekday + 1]
            let foundation: [Int] = [c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, c.weekday!]
            #expect(mine == foundation, "\(t)")
            #expect(CivilTime.date(year: civil.year, month: civil.month, day: civil.day, hour: civil.hour,
                                   minute: civil.minute, second: civil.second, offset: offset) == date)
        }
    }

    @Test("impossible fields are refused")
    func refused() {
        #expect(CivilTime.date(year: 2021, month: 4, day: 31) == nil)
        #expect(CivilTime.date(year: 2021, month: 2, day: 29) == nil)
        #expect(CivilTime.date(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilTime.date(year: 2021, month: 13, day: 1) == nil)
        #expect(CivilTime.date(year: 2021, month: 1, day: 1, hour: 24) == nil)
    }
}
