"""Seed corpus, topic: geometry."""


def is_point_on_segment(
    point: tuple[float, float], start: tuple[float, float], end: tuple[float, float]
) -> bool:
    """Decide whether `point` lies on the closed line segment from `start` to `end`, allowing a tolerance:
    the answer is True when the Euclidean distance from the point to the nearest point of the segment is
    at most 1e-9. If `start` and `end` coincide, the segment is that single point.

    >>> is_point_on_segment((1.0, 1.0), (0.0, 0.0), (2.0, 2.0))
    True
    >>> is_point_on_segment((3.0, 3.0), (0.0, 0.0), (2.0, 2.0))
    False
    >>> is_point_on_segment((1.0, 1.5), (0.0, 0.0), (2.0, 2.0))
    False
    >>> is_point_on_segment((5.0, 5.0), (5.0, 5.0), (5.0, 5.0))
    True
    """
    import math

    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length_sq = dx * dx + dy * dy
    t = 0.0 if length_sq == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length_sq))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy)) <= 1e-9


def shoelace_polygon_area(vertices: list[tuple[float, float]]) -> float:
    """Compute the area enclosed by a simple polygon whose vertices are listed in order (clockwise or
    counter-clockwise) with the shoelace formula, and return its absolute value rounded to 2 decimal
    places. Fewer than 3 vertices enclose no area, so return 0.0.

    >>> shoelace_polygon_area([(0.0, 0.0), (4.0, 0.0), (4.0, 3.0), (0.0, 3.0)])
    12.0
    >>> shoelace_polygon_area([(0.0, 0.0), (0.0, 1.0), (1.0, 0.0)])
    0.5
    >>> shoelace_polygon_area([(1.0, 1.0), (2.0, 2.0)])
    0.0
    """
    if len(vertices) < 3:
        return 0.0
    twice_area = 0.0
    for (x1, y1), (x2, y2) in zip(vertices, vertices[1:] + vertices[:1]):
        twice_area += x1 * y2 - x2 * y1
    return round(abs(twice_area) / 2, 2)


def is_convex_polygon(vertices: list[tuple[float, float]]) -> bool:
    """The vertices describe a simple polygon, listed in order in either orientation. Return True when the
    polygon is convex, meaning the cross product of consecutive edges turns the same way at every vertex;
    vertices where the turn is zero (three collinear points) are ignored. Return False when there are
    fewer than 3 vertices or all vertices are collinear.

    >>> is_convex_polygon([(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)])
    True
    >>> is_convex_polygon([(0.0, 0.0), (2.0, 0.0), (1.0, 0.5), (2.0, 2.0), (0.0, 2.0)])
    False
    >>> is_convex_polygon([(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)])
    False
    """
    n = len(vertices)
    signs = set()
    for i in range(n):
        (ax, ay), (bx, by), (cx, cy) = vertices[i], vertices[(i + 1) % n], vertices[(i + 2) % n]
        cross = (bx - ax) * (cy - by) - (by - ay) * (cx - bx)
        if cross != 0:
            signs.add(cross > 0)
    return n >= 3 and len(signs) == 1


def bounding_box_of_points(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """Return the smallest axis-aligned rectangle containing all the points, as the tuple
    (min_x, min_y, max_x, max_y) of floats. Raise ValueError when the list of points is empty.

    >>> bounding_box_of_points([(1.0, 5.0), (-2.0, 3.0), (4.0, -1.0)])
    (-2.0, -1.0, 4.0, 5.0)
    >>> bounding_box_of_points([(0.0, 0.0), (3.0, -7.5)])
    (0.0, -7.5, 3.0, 0.0)
    >>> bounding_box_of_points([(2.5, 2.5)])
    (2.5, 2.5, 2.5, 2.5)
    """
    if not points:
        raise ValueError("points must not be empty")
    xs = [float(x) for x, _ in points]
    ys = [float(y) for _, y in points]
    return (min(xs), min(ys), max(xs), max(ys))


def rectangle_overlap_area(first: tuple[int, int, int, int], second: tuple[int, int, int, int]) -> int:
    """Each rectangle is axis-aligned and given as (x1, y1, x2, y2) with its lower-left corner (x1, y1) and
    upper-right corner (x2, y2). Return the area of the region the two rectangles share; rectangles that
    only touch along an edge or corner, or do not meet at all, share area 0. Raise ValueError if a
    rectangle has x1 > x2 or y1 > y2.

    >>> rectangle_overlap_area((0, 0, 4, 3), (2, 1, 6, 5))
    4
    >>> rectangle_overlap_area((0, 0, 2, 2), (2, 0, 4, 2))
    0
    >>> rectangle_overlap_area((-5, -5, 5, 5), (-1, -1, 1, 1))
    4
    """
    for x1, y1, x2, y2 in (first, second):
        if x1 > x2 or y1 > y2:
            raise ValueError("rectangle corners must satisfy x1 <= x2 and y1 <= y2")
    width = min(first[2], second[2]) - max(first[0], second[0])
    height = min(first[3], second[3]) - max(first[1], second[1])
    return max(0, width) * max(0, height)


def closest_point_to_origin(points: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Return the point with the smallest Euclidean distance from the origin (0, 0). When several points
    are equally close, return the one that appears first in the list. Return None for an empty list.

    >>> closest_point_to_origin([(3, 4), (-1, 2), (2, -1)])
    (-1, 2)
    >>> closest_point_to_origin([(0, 5), (5, 0)])
    (0, 5)
    >>> (closest_point_to_origin([]) is None)
    True
    """
    if not points:
        return None
    return min(points, key=lambda p: p[0] * p[0] + p[1] * p[1])


def angle_between_vectors(u: tuple[float, float], v: tuple[float, float]) -> float:
    """Return the angle between two 2D vectors in degrees, as a value from 0 to 180 rounded to 2 decimal
    places (the unsigned angle, so the order of the vectors does not matter). Raise ValueError if either
    vector is the zero vector.

    >>> angle_between_vectors((1.0, 0.0), (0.0, 2.0))
    90.0
    >>> angle_between_vectors((1.0, 1.0), (-1.0, -1.0))
    180.0
    >>> angle_between_vectors((3.0, 0.0), (1.0, 1.0))
    45.0
    """
    import math

    if u == (0, 0) or v == (0, 0):
        raise ValueError("angle is undefined for a zero vector")
    cross = u[0] * v[1] - u[1] * v[0]
    dot = u[0] * v[0] + u[1] * v[1]
    return round(math.degrees(math.atan2(abs(cross), dot)), 2)


def count_lattice_points_in_disk(radius: int) -> int:
    """Count the points (x, y) with integer coordinates that satisfy x*x + y*y <= radius*radius, i.e. the
    lattice points inside or on the circle of the given radius centred at the origin. A radius of 0 gives
    the single point (0, 0). Raise ValueError for a negative radius.

    >>> count_lattice_points_in_disk(1)
    5
    >>> count_lattice_points_in_disk(2)
    13
    >>> count_lattice_points_in_disk(0)
    1
    """
    import math

    if radius < 0:
        raise ValueError("radius must be non-negative")
    return sum(2 * math.isqrt(radius * radius - x * x) + 1 for x in range(-radius, radius + 1))


def is_point_inside_triangle(
    point: tuple[float, float],
    triangle: tuple[tuple[float, float], tuple[float, float], tuple[float, float]],
) -> bool:
    """Decide whether `point` lies inside the triangle given by its three corners, in either orientation.
    Points exactly on an edge or at a corner count as inside; the test uses exact arithmetic on the given
    coordinates with no tolerance. Raise ValueError if the three corners are collinear.

    >>> is_point_inside_triangle((1.0, 1.0), ((0.0, 0.0), (4.0, 0.0), (0.0, 4.0)))
    True
    >>> is_point_inside_triangle((2.0, 2.0), ((0.0, 0.0), (4.0, 0.0), (0.0, 4.0)))
    True
    >>> is_point_inside_triangle((3.0, 3.0), ((0.0, 0.0), (0.0, 4.0), (4.0, 0.0)))
    False
    """

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    a, b, c = triangle
    if cross(a, b, c) == 0:
        raise ValueError("triangle corners are collinear")
    turns = [cross(a, b, point), cross(b, c, point), cross(c, a, point)]
    return not (any(t < 0 for t in turns) and any(t > 0 for t in turns))


def rotate_point_quarter_turns(point: tuple[int, int], turns: int) -> tuple[int, int]:
    """Rotate an integer point about the origin by `turns` quarter turns (90 degrees each), counter-
    clockwise for positive `turns` and clockwise for negative `turns`, and return the new point.

    >>> rotate_point_quarter_turns((2, 1), 1)
    (-1, 2)
    >>> rotate_point_quarter_turns((2, 1), -1)
    (1, -2)
    >>> rotate_point_quarter_turns((2, 1), 6)
    (-2, -1)
    >>> rotate_point_quarter_turns((0, 0), 3)
    (0, 0)
    """
    x, y = point
    for _ in range(turns % 4):
        x, y = -y, x
    return (x, y)
