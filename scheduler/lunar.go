package scheduler

import (
	"math"

	"hanchot"
)

// The lunar calendar used in Vietnam is computed from astronomical new moons
// and the sun's longitude, observed at a given zone offset (UTC+7 for
// Vietnam). The method follows the standard lunisolar rules: month 11 holds
// the winter solstice, and in a 13-month year the first month without a
// major solar term is the leap month. The series for the new moon and the
// sun's longitude are the abridged ones from Meeus, "Astronomical
// Algorithms", accurate to minutes for 1900–2100, which is what deciding
// the day of a new moon needs.

// VietnamOffset is Vietnam's offset from UTC in hours.
const VietnamOffset = 7.0

const synodicMonth = 29.530588853

// julianDay returns the Julian day number of d.
func julianDay(d hanchot.Date) int {
	return d.Sub(hanchot.NewDate(1970, 1, 1)) + 2440588
}

// fromJulianDay returns the date of Julian day number jd.
func fromJulianDay(jd int) hanchot.Date {
	return hanchot.NewDate(1970, 1, 1).AddDays(jd - 2440588)
}

// newMoon returns the Julian date (UT) of the k-th new moon after the one of
// 1900-01-01.
func newMoon(k int) float64 {
	const dr = math.Pi / 180
	kf := float64(k)
	t := kf / 1236.85
	t2, t3 := t*t, t*t*t
	jd := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3    // sun's mean anomaly
	mpr := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3 // moon's mean anomaly
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3    // moon's argument of latitude
	c := (0.1734-0.000393*t)*math.Sin(m*dr) + 0.0021*math.Sin(2*dr*m)
	c += -0.4068*math.Sin(mpr*dr) + 0.0161*math.Sin(dr*2*mpr)
	c -= 0.0004 * math.Sin(dr*3*mpr)
	c += 0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(m+mpr))
	c += -0.0074*math.Sin(dr*(m-mpr)) + 0.0004*math.Sin(dr*(2*f+m))
	c += -0.0004*math.Sin(dr*(2*f-m)) - 0.0006*math.Sin(dr*(2*f+mpr))
	c += 0.0010*math.Sin(dr*(2*f-mpr)) + 0.0005*math.Sin(dr*(2*mpr+m))
	var deltaT float64 // ephemeris time minus universal time, in days
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd + c - deltaT
}

// newMoonDay returns the day number on which the k-th new moon falls at the
// given offset.
func newMoonDay(k int, offset float64) int {
	return int(math.Floor(newMoon(k) + 0.5 + offset/24))
}

// sunSector returns which of the twelve 30° sectors of the ecliptic the sun
// is in at the start of day jd (0 = from the spring equinox).
func sunSector(jd int, offset float64) int {
	const dr = math.Pi / 180
	t := (float64(jd) - 0.5 - offset/24 - 2451545.0) / 36525
	t2 := t * t
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2
	dl := (1.914600-0.004817*t-0.000014*t2)*math.Sin(dr*m) +
		(0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	l -= 2 * math.Pi * math.Floor(l/(2*math.Pi))
	return int(math.Floor(l / math.Pi * 6))
}

// month11 returns the day number on which lunar month 11 (the month of the
// winter solstice) of solar year y begins.
func month11(y int, offset float64) int {
	off := julianDay(hanchot.NewDate(y, 12, 31)) - 2415021
	k := int(math.Floor(float64(off) / synodicMonth))
	nm := newMoonDay(k, offset)
	if sunSector(nm, offset) >= 9 {
		nm = newMoonDay(k-1, offset)
	}
	return nm
}

// leapMonthOffset returns the position, counted from month 11, of the leap
// month of the 13-month lunar year starting at a11.
func leapMonthOffset(a11 int, offset float64) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/synodicMonth + 0.5))
	i := 1
	arc := sunSector(newMoonDay(k+i, offset), offset)
	last := arc
	for {
		last = arc
		i++
		arc = sunSector(newMoonDay(k+i, offset), offset)
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

// LunarToSolar returns the solar date of day/month of lunar year y (the
// lunar year that begins in solar year y), not in a leap month, at the given
// offset from UTC in hours.
func LunarToSolar(day, month, y int, offset float64) hanchot.Date {
	var a11, b11 int
	if month < 11 {
		a11, b11 = month11(y-1, offset), month11(y, offset)
	} else {
		a11, b11 = month11(y, offset), month11(y+1, offset)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/synodicMonth))
	off := month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 { // a leap year: months after the leap month shift by one
		if off >= leapMonthOffset(a11, offset) {
			off++
		}
	}
	return fromJulianDay(newMoonDay(k+off, offset) + day - 1)
}

// Tet returns the first day of the lunar year that begins in solar year y,
// as observed in Vietnam.
func Tet(y int) hanchot.Date { return LunarToSolar(1, 1, y, VietnamOffset) }

// HungKings returns Giỗ Tổ Hùng Vương, the 10th day of the 3rd lunar month,
// of solar year y.
func HungKings(y int) hanchot.Date { return LunarToSolar(10, 3, y, VietnamOffset) }
